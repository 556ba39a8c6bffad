namespace OpenBastion.Engine.Tests.Cache;

/// <summary>A fresh parent folder per test; the cache directory itself is <see cref="CacheDir"/> (not created).</summary>
internal sealed class TempCacheDirectory : IDisposable
{
    public TempCacheDirectory()
    {
        Root = Path.Combine(Path.GetTempPath(), "ob-store-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
        CacheDir = Path.Combine(Root, "credentials");
    }

    public string Root { get; }
    public string CacheDir { get; }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
