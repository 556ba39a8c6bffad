using System.Security.Cryptography;
using OpenBastion.Engine.Native;

// Linux-only by design (Unix modes, flock, fsync of directories): the constructor refuses Windows.
#pragma warning disable CA1416

namespace OpenBastion.Engine.Cache;

/// <summary>
/// The encrypted per-user files of one cache directory (DESIGN §3.5).
/// <para>
/// Directory policy: created 0700 when absent; a directory that is a symbolic link is refused; one whose
/// mode lets group or others in is tightened to 0700 silently (the daemon runs as the owner, so it can).
/// This store does not take the directory lock itself: the process that writes holds a
/// <see cref="DirectoryLock"/> for its lifetime.
/// </para>
/// </summary>
public sealed partial class CredentialStore : ICredentialStore, IDisposable
{
    public const string QuarantineFolder = "quarantine";
    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly TimeProvider _time;
    /// <summary>
    /// Held shared by every operation that uses the key, exclusively by <see cref="Rekey"/>: a rekey swaps the
    /// key atomically with respect to every read and write (a login waits for it).
    /// </summary>
    private readonly ReaderWriterLockSlim _keyLock = new(LockRecursionPolicy.SupportsRecursion);
    private byte[] _key;

    /// <summary>Test hook: called with the temporary path just before the rename; returning false simulates a crash there.</summary>
    internal Func<string, bool>? BeforeRename { get; set; }

    public CredentialStore(string directory, ReadOnlySpan<byte> key32, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        ArgumentNullException.ThrowIfNull(time);
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the credential cache needs Unix file semantics");
        if (key32.Length != EntryCodec.KeySize) throw new ArgumentException($"the cache key must be {EntryCodec.KeySize} bytes", nameof(key32));
        Directory = System.IO.Path.GetFullPath(directory);
        _key = key32.ToArray();
        _time = time;
        PrepareDirectory(Directory);
    }

    public string Directory { get; }

    public ReadOutcome Read(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        using var _ = Shared();
        return ReadFile(PathForKey(CacheFileName.KeyFor(user)), bytes => EntryCodec.Decode(bytes.Span, _key, user));
    }

    public ReadOutcome ReadByKey(string key)
    {
        var path = PathForKey(key);
        using var _ = Shared();
        return ReadFile(path, bytes =>
        {
            var outcome = EntryCodec.DecodeAnyUser(bytes.Span, _key);
            return outcome is ReadOutcome.Found f && CacheFileName.KeyFor(f.Entry.User) != key
                ? new ReadOutcome.Unreadable(ReadFailure.UserMismatch, "the entry's user does not match its file name")
                : outcome;
        });
    }

    public void Write(CredentialEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var key = CacheFileName.KeyFor(entry.User);
        using var _ = Shared();
        byte[] bytes;
        try
        {
            bytes = EntryCodec.Encode(entry, _key);
        }
        catch (ArgumentException ex)
        {
            throw new CredentialStoreException($"cannot write cache entry {key}: {ex.Message}", ex);
        }
        WriteAtomically(PathForKey(key), key, bytes, $"cache entry {key}");
    }

    /// <summary>
    /// Timing parity (issue 10 item 7): encrypts a dummy entry of a typical size under the cache key and writes it
    /// to <c>.pad</c> through the same atomic path as <see cref="Write"/>. The file stays (each pad overwrites it);
    /// it is not an entry (<see cref="Enumerate"/> lists <c>*.cred</c> only).
    /// </summary>
    public void WritePad()
    {
        using var _ = Shared();
        WriteAtomically(System.IO.Path.Combine(Directory, PadFileName), PadKey, EntryCodec.Encode(PadEntry(), _key), "the pad file");
    }

    private void WriteAtomically(string target, string key, byte[] bytes, string what)
    {
        var temp = System.IO.Path.Combine(Directory, CacheFileName.NewTemporaryName(key));
        try
        {
            using (var fs = new FileStream(temp, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, // O_CREAT|O_EXCL: never follows or reuses an existing path
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode0600,
            }))
            {
                fs.Write(bytes);
                fs.Flush(flushToDisk: true);
            }
            if (BeforeRename is { } hook && !hook(temp))
                throw new SimulatedCrashException();
            File.Move(temp, target, overwrite: true); // rename(2): atomic within the directory
            LibcFiles.FsyncDirectory(Directory);
        }
        catch (SimulatedCrashException)
        {
            throw new CredentialStoreException($"write of {what} interrupted (simulated crash)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CredentialStoreException($"cannot write {what}: {ex.Message}", ex);
        }
    }

    public bool Delete(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return DeleteByKey(CacheFileName.KeyFor(user));
    }

    public bool DeleteByKey(string key)
    {
        var path = PathForKey(key);
        using var _ = Shared();
        try
        {
            return ShredAndUnlink(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot delete cache entry {key}: {ex.Message}", ex);
        }
    }

    public IReadOnlyList<StoredFile> Enumerate()
    {
        var result = new List<StoredFile>();
        foreach (var info in new DirectoryInfo(Directory).EnumerateFiles("*" + CacheFileName.Extension))
        {
            if (CacheFileName.KeyOfEntryFile(info.Name) is not { } key || info.Attributes.HasFlag(FileAttributes.ReparsePoint)) continue;
            result.Add(new StoredFile(key, info.FullName, info.Length, new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero)));
        }
        return result;
    }

    public IReadOnlyList<string> OrphanedTemporaryFiles(TimeSpan olderThan)
    {
        var cutoff = _time.GetUtcNow() - olderThan;
        var result = new List<string>();
        foreach (var info in new DirectoryInfo(Directory).EnumerateFiles(".*" + CacheFileName.TemporarySuffix, new EnumerationOptions { AttributesToSkip = 0 }))
        {
            if (CacheFileName.IsTemporaryName(info.Name) && !info.Attributes.HasFlag(FileAttributes.ReparsePoint)
                && new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero) <= cutoff)
                result.Add(info.FullName);
        }
        return result;
    }

    public void RemoveTemporaryFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = System.IO.Path.GetFullPath(path);
        if (System.IO.Path.GetDirectoryName(full) != Directory || !CacheFileName.IsTemporaryName(System.IO.Path.GetFileName(full)))
            throw new ArgumentException("not a temporary file of this cache directory", nameof(path));
        try
        {
            ShredAndUnlink(full);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot remove temporary file {System.IO.Path.GetFileName(full)}: {ex.Message}", ex);
        }
    }

    public string Quarantine(string key)
    {
        var path = PathForKey(key);
        var folder = System.IO.Path.Combine(Directory, QuarantineFolder);
        using var _ = Shared();
        try
        {
            PrepareDirectory(folder);
            var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
            var baseName = System.IO.Path.Combine(folder, $"{key}{CacheFileName.Extension}.{stamp}");
            for (var n = 0; ; n++)
            {
                var destination = n == 0 ? baseName : $"{baseName}.{n}";
                if (File.Exists(destination) || System.IO.Directory.Exists(destination)) continue;
                File.Move(path, destination, overwrite: false);
                LibcFiles.FsyncDirectory(folder);
                LibcFiles.FsyncDirectory(Directory);
                return destination;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot quarantine cache entry {key}: {ex.Message}", ex);
        }
    }

    public void Dispose()
    {
        _keyLock.EnterWriteLock();
        try
        {
            CryptographicOperations.ZeroMemory(_key);
        }
        finally
        {
            _keyLock.ExitWriteLock();
        }
    }

    private SharedHold Shared()
    {
        _keyLock.EnterReadLock();
        return new SharedHold(_keyLock);
    }

    private readonly struct SharedHold(ReaderWriterLockSlim gate) : IDisposable
    {
        public void Dispose() => gate.ExitReadLock();
    }

    private string PathForKey(string key) => System.IO.Path.Combine(Directory, CacheFileName.FileNameForKey(key));

    private static ReadOutcome ReadFile(string path, Func<ReadOnlyMemory<byte>, ReadOutcome> decode)
    {
        ReadOnlyMemory<byte> bytes;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) return ReadOutcome.NotFound.Instance;
            if (info.LinkTarget is not null)
                return new ReadOutcome.Unreadable(ReadFailure.IoError, "the cache file is a symbolic link");
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (fs.Length > EntryCodec.MaxFileSize)
                return new ReadOutcome.Unreadable(ReadFailure.Oversize, $"file is {fs.Length} bytes, the limit is {EntryCodec.MaxFileSize}");
            // One byte of slack: a file that grows while we read (writes are renames, never in place) is refused.
            var buffer = new byte[fs.Length + 1];
            int total = 0, n;
            while (total < buffer.Length && (n = fs.Read(buffer, total, buffer.Length - total)) > 0) total += n;
            if (total == buffer.Length)
                return new ReadOutcome.Unreadable(ReadFailure.IoError, "the cache file changed while it was read");
            bytes = buffer.AsMemory(0, total);
        }
        catch (FileNotFoundException)
        {
            return ReadOutcome.NotFound.Instance;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ReadOutcome.Unreadable(ReadFailure.IoError, ex.Message);
        }
        return decode(bytes);
    }

    /// <summary>Overwrites the file with zeros, fsyncs, unlinks, fsyncs the directory. A symlink is only unlinked.</summary>
    private static bool ShredAndUnlink(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists && info.LinkTarget is null) return false;
        if (info.LinkTarget is null)
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            var zeros = new byte[64 * 1024];
            for (long left = fs.Length; left > 0;)
            {
                var chunk = (int)Math.Min(left, zeros.Length);
                fs.Write(zeros, 0, chunk);
                left -= chunk;
            }
            fs.Flush(flushToDisk: true);
        }
        File.Delete(path);
        LibcFiles.FsyncDirectory(System.IO.Path.GetDirectoryName(path)!);
        return true;
    }

    private static void PrepareDirectory(string path)
    {
        var info = new DirectoryInfo(path);
        if (info.LinkTarget is not null)
            throw new CredentialStoreException($"cache directory {path} is a symbolic link; refusing it");
        if (File.Exists(path))
            throw new CredentialStoreException($"cache directory {path} is not a directory");
        try
        {
            if (!info.Exists)
            {
                System.IO.Directory.CreateDirectory(path, DirectoryMode);
                info.Refresh();
            }
            if ((info.UnixFileMode & ~DirectoryMode) != 0)
                info.UnixFileMode = DirectoryMode;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot prepare cache directory {path}: {ex.Message}", ex);
        }
    }

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (Exception ex) when (ex is IOException or UnauthorizedAccessException) { }
    }

    private sealed class SimulatedCrashException : Exception;
}
