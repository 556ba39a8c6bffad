using System.Runtime.InteropServices;

namespace OpenBastion.Engine.Native;

/// <summary>
/// The few libc calls .NET does not expose that are not about a file's content: whether the process
/// runs as root, hard links; and the errno numbers and error text shared by the Native folder. File
/// status is <see cref="FileStatus"/>, open/fsync/flock are <see cref="LibcFiles"/>: each libc function
/// has one binding in the project.
/// </summary>
public static partial class Libc
{
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EWOULDBLOCK = 11;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUid();

    [LibraryImport("libc", EntryPoint = "link", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LinkNative(string oldPath, string newPath);

    /// <summary>True when the process runs as root (effective uid 0, <c>geteuid(2)</c>).</summary>
    public static bool IsRoot => GetEffectiveUid() == 0;

    /// <summary>
    /// Creates <paramref name="newPath"/> as a hard link to <paramref name="oldPath"/>; fails when
    /// <paramref name="newPath"/> exists. Returns 0, or the errno (e.g. <see cref="EEXIST"/>).
    /// </summary>
    public static int Link(string oldPath, string newPath) =>
        LinkNative(oldPath, newPath) == 0 ? 0 : Marshal.GetLastPInvokeError();

    /// <summary>The failure of the last libc call, as "<paramref name="call"/> <paramref name="what"/>: reason (errno N)".</summary>
    internal static IOException LastError(string call, string what) => ErrorOf(Marshal.GetLastPInvokeError(), call, what);

    internal static IOException ErrorOf(int errno, string call, string what) =>
        new($"{call} {what}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno);
}
