using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OpenBastion.Engine.Native;

/// <summary>
/// The few libc file calls .NET does not expose: fsync of a directory and flock, and an open(2) that
/// takes no lock of its own. Linux only.
/// </summary>
internal static partial class LibcFiles
{
    private const int O_RDONLY = 0x0;
    private const int O_RDWR = 0x2;
    private const int O_CREAT = 0x40;
    private const int O_CLOEXEC = 0x80000;
    private const int LOCK_EX = 2;
    private const int LOCK_NB = 4;

    private static bool IsArm => RuntimeInformation.ProcessArchitecture is Architecture.Arm or Architecture.Arm64;
    private static int O_DIRECTORY => IsArm ? 0x4000 : 0x10000;
    private static int O_NOFOLLOW => IsArm ? 0x8000 : 0x20000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    private static partial int Flock(int fd, int operation);

    /// <summary>
    /// Opens <paramref name="path"/> read-only (never following a symlink) with open(2) itself: .NET's
    /// FileStream takes a shared flock of its own, which fails on a file another process holds
    /// exclusively (the cache lock file). Null when the file does not exist.
    /// </summary>
    public static SafeFileHandle? OpenForReading(string path)
    {
        var fd = OpenRetry(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0);
        if (fd >= 0) return new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        if (Marshal.GetLastPInvokeError() == Libc.ENOENT) return null;
        throw Libc.LastError("open", path);
    }

    /// <summary>
    /// Flushes a directory's entries to disk (after a create, rename or unlink inside it), so that the
    /// change survives a crash. Refuses a path that is not a directory. Throws <see cref="IOException"/>.
    /// </summary>
    public static void FsyncDirectory(string path)
    {
        var fd = OpenRetry(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
        if (fd < 0) throw Libc.LastError("open directory", path);
        try
        {
            if (Fsync(fd) != 0) throw Libc.LastError("fsync directory", path);
        }
        finally
        {
            Close(fd);
        }
    }

    /// <summary>
    /// Opens (creating 0600 if needed, never following a symlink) <paramref name="path"/> and takes a
    /// non-blocking exclusive flock on it. Returns null when another open file description holds it.
    /// </summary>
    public static SafeFileHandle? TryLockFile(string path)
    {
        var fd = OpenRetry(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0x180 /* 0600 */);
        if (fd < 0) throw Libc.LastError("open lock file", path);
        var handle = new SafeFileHandle((IntPtr)fd, ownsHandle: true);
        int rc;
        do rc = Flock(fd, LOCK_EX | LOCK_NB);
        while (rc != 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        if (rc == 0) return handle;
        var errno = Marshal.GetLastPInvokeError();
        handle.Dispose();
        if (errno == Libc.EWOULDBLOCK) return null;
        throw Libc.ErrorOf(errno, "flock", path);
    }

    private static int OpenRetry(string path, int flags, uint mode)
    {
        int fd;
        do fd = Open(path, flags, mode);
        while (fd < 0 && Marshal.GetLastPInvokeError() == Libc.EINTR);
        return fd;
    }
}
