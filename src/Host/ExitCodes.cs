namespace OpenBastion.Host;

/// <summary>The process exit codes (sysexits.h), so that systemd and scripts can tell failures apart.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>EX_USAGE: bad command line.</summary>
    public const int Usage = 64;
    /// <summary>EX_SOFTWARE: an internal error.</summary>
    public const int Internal = 70;
    /// <summary>EX_CANTCREAT: the socket or the cache directory cannot be created.</summary>
    public const int CannotCreate = 73;
    /// <summary>EX_TEMPFAIL: the cache directory (or the socket) is held by another running daemon.</summary>
    public const int Locked = 75;
    /// <summary>EX_CONFIG: the configuration is invalid.</summary>
    public const int Configuration = 78;
}

/// <summary>A start-up failure with the exit code it maps to. The message names no secret.</summary>
public sealed class StartupException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}
