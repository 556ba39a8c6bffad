using OpenBastion.Wire;

namespace OpenBastion.Host.Admin;

/// <summary>Exit codes of <c>ob-cache-admin</c> (documented in its --help and in the README).</summary>
public static class AdminExitCodes
{
    public const int Ok = 0;
    /// <summary>No such entry, or a negative answer (auth refused, confirmation not given).</summary>
    public const int NotFound = 1;
    /// <summary>Bad command line or bad argument (e.g. an empty user name).</summary>
    public const int Usage = 2;
    /// <summary>EX_UNAVAILABLE: the daemon is needed (status, offline, online, auth) but does not run, or did not answer.</summary>
    public const int Unavailable = 69;
    /// <summary>EX_SOFTWARE: an internal error (a bug; the line says what).</summary>
    public const int Internal = 70;
    /// <summary>EX_CANTCREAT: a file could not be created.</summary>
    public const int CannotCreate = 73;
    /// <summary>EX_IOERR: missing cache directory, unreadable entry, or an I/O error on the cache.</summary>
    public const int IoError = 74;
    /// <summary>EX_TEMPFAIL: the cache is locked by a process whose socket does not answer.</summary>
    public const int Locked = 75;
    /// <summary>EX_PROTOCOL: the daemon answered something this tool does not understand.</summary>
    public const int Protocol = 76;
    /// <summary>EX_NOPERM: not run as root.</summary>
    public const int NotRoot = 77;
    /// <summary>EX_CONFIG: the configuration (or the cache key material) is invalid.</summary>
    public const int Configuration = 78;

    public static int Of(AdminStatus status) => status switch
    {
        AdminStatus.Ok => Ok,
        AdminStatus.NotFound => NotFound,
        AdminStatus.BadRequest => Usage,
        AdminStatus.Unreadable or AdminStatus.Failed => IoError,
        AdminStatus.Unavailable => Unavailable,
        _ => Protocol,
    };
}

/// <summary>A failure of the admin tool with its exit code; the message is the one line the operator sees.</summary>
public sealed class AdminFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
