using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>
/// The uid of a user name through NSS (<c>getpwnam_r(3)</c> in libc): the same answer PAM and the
/// rest of the system get, whether the account is local, LDAP or SSSD. Used by the bridge's peer
/// policy to tell whether a non-root peer asks for its own account.
/// </summary>
public static partial class PasswdLookup
{
    private const int ERANGE = 34;
    private const int MaxBuffer = 1024 * 1024;

    /// <summary>struct passwd (pwd.h): pointers and two 32-bit ids, natural alignment.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Passwd
    {
        public nint Name;
        public nint Password;
        public uint Uid;
        public uint Gid;
        public nint Gecos;
        public nint Directory;
        public nint Shell;
    }

    [LibraryImport("libc", EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int GetPwNamR(string name, Passwd* pwd, byte* buffer, nuint length, Passwd** result);

    /// <summary>
    /// The uid of <paramref name="user"/>'s passwd entry; null when there is none or the lookup fails
    /// (an unknown account, or NSS unavailable: either way the peer is not shown to own it).
    /// </summary>
    public static unsafe uint? UidOf(string user)
    {
        if (string.IsNullOrEmpty(user) || user.Contains('\0')) return null;
        var size = 4096;
        while (size <= MaxBuffer)
        {
            var buffer = new byte[size];
            Passwd entry;
            Passwd* found = null;
            int rc;
            fixed (byte* b = buffer)
                rc = GetPwNamR(user, &entry, b, (nuint)buffer.Length, &found);
            if (rc == ERANGE)
            {
                size *= 4;
                continue;
            }
            return rc == 0 && found != null ? entry.Uid : null;
        }
        return null;
    }
}
