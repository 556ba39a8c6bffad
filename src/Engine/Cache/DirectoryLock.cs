using Microsoft.Win32.SafeHandles;
using OpenBastion.Engine.Native;

namespace OpenBastion.Engine.Cache;

/// <summary>
/// The single-writer lock of a cache directory (DESIGN §3.5): an exclusive <c>flock</c> on
/// <c>&lt;dir&gt;/.lock</c>, held until disposed (or the process dies). flock locks belong to the open
/// file description, so a second acquisition fails whether it comes from this process or another.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    private readonly SafeFileHandle _handle;

    private DirectoryLock(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock without waiting. False when someone else holds it.</summary>
    public static bool TryAcquire(string directory, out DirectoryLock? directoryLock)
    {
        var path = System.IO.Path.Combine(directory, FileName);
        SafeFileHandle? handle;
        try
        {
            handle = LibcFiles.TryLockFile(path);
        }
        catch (IOException ex)
        {
            throw new CredentialStoreException($"cannot lock cache directory {directory}: {ex.Message}", ex);
        }
        directoryLock = handle is null ? null : new DirectoryLock(path, handle);
        return directoryLock is not null;
    }

    /// <summary>Takes the lock without waiting; throws <see cref="CredentialStoreException"/> when it is held.</summary>
    public static DirectoryLock Acquire(string directory) =>
        TryAcquire(directory, out var l)
            ? l!
            : throw new CredentialStoreException($"cache directory {directory} is locked by another process (is the daemon running?)");

    public void Dispose() => _handle.Dispose();
}
