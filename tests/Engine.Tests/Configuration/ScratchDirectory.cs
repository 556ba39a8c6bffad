namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>A private temporary directory (0700), removed on dispose.</summary>
public sealed class ScratchDirectory : IDisposable
{
    public ScratchDirectory()
    {
        Path = Directory.CreateTempSubdirectory("ob-cfg-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes a file with the given mode (default 0600) and returns its path.</summary>
    public string Write(string name, string text, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite) =>
        Write(name, System.Text.Encoding.UTF8.GetBytes(text), mode);

    public string Write(string name, byte[] bytes, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("Unix permissions");
        var path = Combine(name);
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, mode);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
