using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OpenBastion.Engine.Native;

/// <summary>
/// The few libc calls the engine needs that .NET does not expose (owner uid of a file, effective uid,
/// hard links). Shared: other parts of the engine may add functions here.
/// </summary>
/// <remarks>
/// File status comes from <c>statx(2)</c> (glibc ≥ 2.28) because its structure has the same layout on
/// every architecture, unlike <c>struct stat</c>.
/// </remarks>
public static partial class Libc
{
    private const string LibraryName = "libc";

    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferSize = 256;

    // Offsets inside struct statx (linux/stat.h), identical on all architectures.
    private const int OffsetUid = 20;
    private const int OffsetGid = 24;
    private const int OffsetMode = 28;
    private const int OffsetSize = 40;

    public const int EEXIST = 17;
    public const int ENOENT = 2;

    [LibraryImport(LibraryName, EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport(LibraryName, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string pathname, int flags, uint mask, byte* buffer);

    [LibraryImport(LibraryName, EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    [LibraryImport(LibraryName, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags);

    [LibraryImport(LibraryName, EntryPoint = "fsync", SetLastError = true)]
    private static partial int FsyncNative(int fd);

    [LibraryImport(LibraryName, EntryPoint = "close")]
    private static partial int CloseNative(int fd);

    private const int ORdOnly = 0;
    private const int OCloExec = 0x80000;

    /// <summary>The process's effective uid (<c>geteuid(2)</c>).</summary>
    public static uint EffectiveUid => GetEffectiveUid();

    /// <summary>True when the process runs as root.</summary>
    public static bool IsRoot => GetEffectiveUid() == 0;

    /// <summary>Status of an open file (no race between the check and the read).</summary>
    public static FileStatus Stat(SafeFileHandle handle)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            return Statx(fd, string.Empty, AtEmptyPath, "file descriptor " + fd);
        }
        finally
        {
            if (success) handle.DangerousRelease();
        }
    }

    /// <summary>Status of a path; with <paramref name="followSymlinks"/> false, of the link itself.</summary>
    public static FileStatus Stat(string path, bool followSymlinks = true) =>
        Statx(AtFdCwd, path, followSymlinks ? 0 : AtSymlinkNoFollow, path);

    /// <summary>
    /// Creates <paramref name="newPath"/> as a hard link to <paramref name="oldPath"/>; fails when
    /// <paramref name="newPath"/> exists. Returns 0, or the errno (e.g. <see cref="EEXIST"/>).
    /// </summary>
    public static int Link(string oldPath, string newPath) =>
        LinkNative(oldPath, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>
    /// Flushes a directory's entries to disk (after a create or rename inside it), so that the new
    /// name survives a crash. Throws <see cref="IOException"/> on failure.
    /// </summary>
    public static void FsyncDirectory(string path)
    {
        var fd = OpenNative(path, ORdOnly | OCloExec);
        if (fd < 0) throw Error("open", path);
        try
        {
            if (FsyncNative(fd) != 0) throw Error("fsync", path);
        }
        finally
        {
            CloseNative(fd);
        }
    }

    private static IOException Error(string call, string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call} {what}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    private static unsafe FileStatus Statx(int dirfd, string path, int flags, string what)
    {
        var buffer = stackalloc byte[StatxBufferSize];
        new Span<byte>(buffer, StatxBufferSize).Clear();
        if (StatxNative(dirfd, path, flags, StatxBasicStats, buffer) != 0) throw Error("statx", what);

        var span = new ReadOnlySpan<byte>(buffer, StatxBufferSize);
        var mode = BitConverter.ToUInt16(span[OffsetMode..]);
        return new FileStatus(
            OwnerUid: BitConverter.ToUInt32(span[OffsetUid..]),
            OwnerGid: BitConverter.ToUInt32(span[OffsetGid..]),
            RawMode: mode,
            Size: (long)BitConverter.ToUInt64(span[OffsetSize..]));
    }
}

/// <summary>What <c>statx</c> says about a file: owner, group, type and permission bits, size.</summary>
public readonly record struct FileStatus(uint OwnerUid, uint OwnerGid, ushort RawMode, long Size)
{
    private const int TypeMask = 0xF000;

    /// <summary>The permission bits (including setuid/setgid/sticky).</summary>
    public UnixFileMode Permissions => (UnixFileMode)(RawMode & 0x0FFF);

    public bool IsRegularFile => (RawMode & TypeMask) == 0x8000;
    public bool IsDirectory => (RawMode & TypeMask) == 0x4000;
    public bool IsSymbolicLink => (RawMode & TypeMask) == 0xA000;

    /// <summary>True when group or others have any permission on the file.</summary>
    public bool AccessibleByGroupOrOthers => (RawMode & 0x3F) != 0;

    /// <summary>The permission bits as octal text, e.g. <c>0644</c>.</summary>
    public string OctalPermissions => "0" + Convert.ToString(RawMode & 0x0FFF, 8).PadLeft(3, '0');
}
