using System.Runtime.CompilerServices;

namespace OpenBastion.Engine.Tests.TestSupport;

/// <summary>
/// Finds the interoperability vectors in <c>../shared/vectors</c> (next to the repository): from the
/// environment variable <c>OB_SHARED_DIR</c> (the <c>shared</c> folder), else by walking up from the test
/// assembly's directory, from this source file's directory and from the current directory. The vectors
/// are never copied into the repository; when they are absent, tests that need them fail and say so.
/// </summary>
public static class SharedVectors
{
    public const string SharedDirVariable = "OB_SHARED_DIR";

    private static readonly Lazy<string?> Found = new(Locate);

    /// <summary>The <c>vectors</c> folder. Throws a clear message when it cannot be found.</summary>
    public static string VectorDir => Found.Value ?? throw new DirectoryNotFoundException(
        Environment.GetEnvironmentVariable(SharedDirVariable) is { Length: > 0 } shared
            ? $"vector folder ../shared/vectors not found ({SharedDirVariable}={shared}, but {Path.Combine(shared, "vectors")} does not exist)"
            : $"vector folder ../shared/vectors not found (looked above {AppContext.BaseDirectory}, above {SourceDirectory()} " +
              $"and above {Environment.CurrentDirectory}; set {SharedDirVariable} to the shared folder)");

    /// <summary>A vector set, e.g. <c>openbastion-0.6-machineid</c>; throws a clear message when absent.</summary>
    public static string Folder(string name)
    {
        var path = Path.Combine(VectorDir, name);
        return Directory.Exists(path) ? path : throw new DirectoryNotFoundException($"vector folder {path} not found");
    }

    /// <summary>A file of a vector set; throws a clear message when absent.</summary>
    public static string File(string set, string name)
    {
        var path = Path.Combine(Folder(set), name);
        return System.IO.File.Exists(path) ? path : throw new FileNotFoundException($"vector file {path} not found", path);
    }

    private static string? Locate()
    {
        var fromEnv = Environment.GetEnvironmentVariable(SharedDirVariable);
        if (!string.IsNullOrEmpty(fromEnv))
        {
            var candidate = Path.Combine(fromEnv, "vectors");
            return Directory.Exists(candidate) ? candidate : null;
        }

        foreach (var start in new[] { AppContext.BaseDirectory, SourceDirectory(), Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "vectors");
                if (Directory.Exists(candidate)) return candidate;
            }
        }

        return null;
    }

    private static string SourceDirectory([CallerFilePath] string path = "") => Path.GetDirectoryName(path) ?? "/";
}
