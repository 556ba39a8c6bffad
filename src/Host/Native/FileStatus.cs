using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>What a path is, without following a final symlink (statx with AT_SYMLINK_NOFOLLOW).</summary>
public enum FileKind { Missing, Socket, Directory, Regular, Symlink, Other }

/// <summary>
/// The type, owner and mode of a path. .NET does not tell a socket from another special file, and the
/// listener must only ever unlink a stale <em>socket</em>; statx has the same layout on every Linux
/// architecture, unlike struct stat.
/// </summary>
public readonly record struct FileStatus(FileKind Kind, uint Uid, uint Gid, UnixFileMode Mode)
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxMode = 0x2, StatxUid = 0x8, StatxGid = 0x10;
    private const int ENOENT = 2, ENOTDIR = 20;

    public static FileStatus Of(string path)
    {
        Span<byte> buffer = stackalloc byte[256];
        int rc;
        unsafe
        {
            fixed (byte* p = buffer)
                rc = NativeMethods.Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxMode | StatxUid | StatxGid, p);
        }
        if (rc != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR) return new FileStatus(FileKind.Missing, 0, 0, 0);
            throw new IOException($"cannot stat '{path}': {Marshal.GetPInvokeErrorMessage(errno)}");
        }

        // struct statx: u32 mask @0, u32 blksize @4, u64 attributes @8, u32 nlink @16, u32 uid @20, u32 gid @24, u16 mode @28
        var uid = BitConverter.ToUInt32(buffer[20..24]);
        var gid = BitConverter.ToUInt32(buffer[24..28]);
        var mode = BitConverter.ToUInt16(buffer[28..30]);
        var kind = (mode & 0xF000) switch
        {
            0xC000 => FileKind.Socket,
            0x4000 => FileKind.Directory,
            0x8000 => FileKind.Regular,
            0xA000 => FileKind.Symlink,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, uid, gid, (UnixFileMode)(mode & 0xFFF));
    }
}
