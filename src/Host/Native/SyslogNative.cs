using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>
/// libc's syslog calls, which .NET does not expose. The daemon's other native calls live beside this
/// one (SO_PEERCRED, prctl, getpwnam_r); those it shares with the engine (statx, fsync, flock, geteuid)
/// have their one binding in <c>OpenBastion.Engine.Native</c>.
/// </summary>
internal static partial class SyslogNative
{
    private const string Libc = "libc";

    /// <summary>openlog keeps the ident pointer: it must stay valid for the life of the process.</summary>
    [LibraryImport(Libc, EntryPoint = "openlog")]
    internal static partial void OpenLog(nint ident, int option, int facility);

    /// <summary>syslog is variadic; it is only ever called with the fixed format "%s" and one string.</summary>
    [LibraryImport(Libc, EntryPoint = "syslog", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Syslog(int priority, string format, string message);

    [LibraryImport(Libc, EntryPoint = "closelog")]
    internal static partial void CloseLog();
}
