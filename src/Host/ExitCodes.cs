namespace OpenBastion.Host;

/// <summary>
/// The sysexits.h values used by both programs, the daemon <c>obactors</c> and the tool <c>ob-cache-admin</c>
/// (the tool's own codes below 64 are in Admin tool's <c>AdminExitCodes</c>), so that systemd and scripts can
/// tell failures apart. One table: each program documents which of them it uses.
/// </summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>EX_USAGE: bad command line (the daemon's; the tool answers its own <c>2</c>).</summary>
    public const int Usage = 64;
    /// <summary>EX_UNAVAILABLE: the tool needs the daemon (status, offline, online, auth) but it does not run, or did not answer.</summary>
    public const int Unavailable = 69;
    /// <summary>EX_SOFTWARE: an internal error (a bug; the line says what).</summary>
    public const int Internal = 70;
    /// <summary>EX_CANTCREAT: the socket, the cache directory or a file cannot be created.</summary>
    public const int CannotCreate = 73;
    /// <summary>EX_IOERR: missing cache directory, unreadable entry, or an I/O error on the cache (tool).</summary>
    public const int IoError = 74;
    /// <summary>EX_TEMPFAIL: the cache directory (or the socket) is held by another process.</summary>
    public const int Locked = 75;
    /// <summary>EX_PROTOCOL: the daemon answered something the tool does not understand.</summary>
    public const int Protocol = 76;
    /// <summary>EX_NOPERM: the tool is not run as root.</summary>
    public const int NotRoot = 77;
    /// <summary>EX_CONFIG: the configuration (or the cache key material) is invalid.</summary>
    public const int Configuration = 78;
}

/// <summary>A start-up failure with the exit code it maps to. The message names no secret.</summary>
public sealed class StartupException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
