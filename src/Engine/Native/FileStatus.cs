using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OpenBastion.Engine.Native;

/// <summary>What a path is (the file type statx reports); <see cref="Missing"/> when nothing is there.</summary>
public enum FileKind { Missing, Socket, Directory, Regular, Symlink, Other }

/// <summary>
/// What <c>statx(2)</c> says about a file: type, owner, group, permission bits, size. The one statx
/// binding of the project: the engine checks secret files with it, the daemon its socket (.NET does not
/// tell a socket from another special file, and the listener must only ever unlink a stale socket).
/// </summary>
/// <remarks>
/// statx (glibc ≥ 2.28) is used because its structure has the same layout on every architecture,
/// unlike <c>struct stat</c>. A missing path has a mode of 0: every existing file has a type.
/// </remarks>
public readonly partial record struct FileStatus(uint Uid, uint Gid, ushort RawMode, long Size)
{
    private const int TypeMask = 0xF000;
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const int AtEmptyPath = 0x1000;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferSize = 256;

    // Offsets inside struct statx (linux/stat.h), identical on all architectures:
    // u32 mask @0, u32 blksize @4, u64 attributes @8, u32 nlink @16, u32 uid @20, u32 gid @24, u16 mode @28, u64 size @40.
    private const int OffsetUid = 20;
    private const int OffsetGid = 24;
    private const int OffsetMode = 28;
    private const int OffsetSize = 40;

    /// <summary>The status of a path where nothing is.</summary>
    public static FileStatus Missing => default;

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int StatxNative(int dirfd, string pathname, int flags, uint mask, byte* buffer);

    /// <summary>
    /// The status of <paramref name="path"/> itself (a final symlink is not followed);
    /// <see cref="FileKind.Missing"/> when it, or a directory on its way, does not exist.
    /// Throws <see cref="IOException"/> on any other failure.
    /// </summary>
    public static FileStatus Of(string path) =>
        Statx(AtFdCwd, path, AtSymlinkNoFollow, path, allowMissing: true);

    /// <summary>The status of an open file (no race between the check and the read).</summary>
    public static FileStatus Of(SafeFileHandle handle)
    {
        var success = false;
        handle.DangerousAddRef(ref success);
        try
        {
            var fd = (int)handle.DangerousGetHandle();
            return Statx(fd, string.Empty, AtEmptyPath, "file descriptor " + fd, allowMissing: false);
        }
        finally
        {
            if (success) handle.DangerousRelease();
        }
    }

    public FileKind Kind => (RawMode & TypeMask) switch
    {
        0 => FileKind.Missing,
        0xC000 => FileKind.Socket,
        0x4000 => FileKind.Directory,
        0x8000 => FileKind.Regular,
        0xA000 => FileKind.Symlink,
        _ => FileKind.Other,
    };

    /// <summary>The permission bits (including setuid/setgid/sticky).</summary>
    public UnixFileMode Permissions => (UnixFileMode)(RawMode & 0x0FFF);

    /// <summary>True when group or others have any permission on the file.</summary>
    public bool AccessibleByGroupOrOthers => (RawMode & 0x3F) != 0;

    /// <summary>The permission bits as octal text, e.g. <c>0644</c>.</summary>
    public string OctalPermissions => "0" + Convert.ToString(RawMode & 0x0FFF, 8).PadLeft(3, '0');

    private static unsafe FileStatus Statx(int dirfd, string path, int flags, string what, bool allowMissing)
    {
        var buffer = stackalloc byte[StatxBufferSize];
        new Span<byte>(buffer, StatxBufferSize).Clear();
        if (StatxNative(dirfd, path, flags, StatxBasicStats, buffer) != 0)
        {
            if (allowMissing && Marshal.GetLastPInvokeError() is Libc.ENOENT or Libc.ENOTDIR) return Missing;
            throw Libc.LastError("statx", what);
        }

        var span = new ReadOnlySpan<byte>(buffer, StatxBufferSize);
        return new FileStatus(
            Uid: BitConverter.ToUInt32(span[OffsetUid..]),
            Gid: BitConverter.ToUInt32(span[OffsetGid..]),
            RawMode: BitConverter.ToUInt16(span[OffsetMode..]),
            Size: (long)BitConverter.ToUInt64(span[OffsetSize..]));
    }
}
