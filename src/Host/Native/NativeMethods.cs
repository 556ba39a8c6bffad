using System.Runtime.InteropServices;

namespace OpenBastion.Host.Native;

/// <summary>The few libc calls the daemon needs that .NET does not expose.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Libc = "libc";

    [LibraryImport(Libc, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Statx(int dirfd, string path, int flags, uint mask, byte* statxBuffer);

    /// <summary>openlog keeps the ident pointer: it must stay valid for the life of the process.</summary>
    [LibraryImport(Libc, EntryPoint = "openlog")]
    internal static partial void OpenLog(nint ident, int option, int facility);

    /// <summary>syslog is variadic; it is only ever called with the fixed format "%s" and one string.</summary>
    [LibraryImport(Libc, EntryPoint = "syslog", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void Syslog(int priority, string format, string message);

    [LibraryImport(Libc, EntryPoint = "closelog")]
    internal static partial void CloseLog();
}
