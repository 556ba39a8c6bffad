using Microsoft.Win32.SafeHandles;
using OpenBastion.Engine.Native;

namespace OpenBastion.Engine.Cache;

/// <summary>Who holds a cache directory lock, as its holder recorded it in the lock file.</summary>
public sealed record LockHolder(int Pid, string Name)
{
    /// <summary>Whether the recorded process still runs (<c>/proc/PID</c> exists).</summary>
    public bool IsAlive => Pid > 0 && System.IO.Directory.Exists($"/proc/{Pid}");
}

/// <summary>
/// The single-writer lock of a cache directory (DESIGN §3.5): an exclusive <c>flock</c> on
/// <c>&lt;dir&gt;/.lock</c>, held until disposed (or the process dies). flock locks belong to the open
/// file description, so a second acquisition fails whether it comes from this process or another.
/// The holder writes "pid name" into the file once it has the lock, so that a daemon that finds the
/// lock taken can tell a short ob-cache-admin command (worth waiting for) from another daemon.
/// </summary>
public sealed class DirectoryLock : IDisposable
{
    public const string FileName = ".lock";

    /// <summary>The holder name the daemon records.</summary>
    public const string DaemonHolder = "obactors";

    /// <summary>The holder name ob-cache-admin records in direct mode.</summary>
    public const string AdminHolder = "ob-cache-admin";

    // The record is padded to a fixed size so that a shorter one overwrites a longer one whole.
    private const int RecordBytes = 64;

    private readonly SafeFileHandle _handle;

    private DirectoryLock(string path, SafeFileHandle handle)
    {
        Path = path;
        _handle = handle;
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>Takes the lock without waiting, recording this process as <paramref name="holder"/>. False when someone else holds it.</summary>
    public static bool TryAcquire(string directory, out DirectoryLock? directoryLock, string holder = DaemonHolder)
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
        if (directoryLock is not null) Record(handle!, holder);
        return directoryLock is not null;
    }

    /// <summary>
    /// The holder recorded in <paramref name="directory"/>'s lock file; null when there is no readable
    /// record. A record may be stale (its process gone, or the new holder has not written yet).
    /// </summary>
    public static LockHolder? ReadHolder(string directory)
    {
        try
        {
            using var handle = LibcFiles.OpenForReading(System.IO.Path.Combine(directory, FileName));
            if (handle is null) return null;
            var buffer = new byte[RecordBytes];
            var n = RandomAccess.Read(handle, buffer, 0);
            var parts = System.Text.Encoding.ASCII.GetString(buffer, 0, n).Trim().Split(' ', 2, StringSplitOptions.TrimEntries);
            return parts.Length == 2 && int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && parts[1].Length > 0
                ? new LockHolder(pid, parts[1])
                : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static void Record(SafeFileHandle handle, string holder)
    {
        var text = $"{Environment.ProcessId} {holder}";
        if (text.Length >= RecordBytes || text.Any(c => c is < ' ' or > '~')) throw new ArgumentException("Bad lock holder name.", nameof(holder));
        try
        {
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(text.PadRight(RecordBytes - 1) + "\n"), 0);
        }
        catch (IOException)
        {
            // The record only helps a starting daemon decide to wait; the lock itself is held.
        }
    }

    /// <summary>Takes the lock without waiting; throws <see cref="CredentialStoreException"/> when it is held.</summary>
    public static DirectoryLock Acquire(string directory) =>
        TryAcquire(directory, out var l)
            ? l!
            : throw new CredentialStoreException($"cache directory {directory} is locked by another process (is the daemon running?)");

    public void Dispose() => _handle.Dispose();
}
