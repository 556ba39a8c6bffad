using OpenBastion.Wire;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// Exit codes of <c>ob-cache-admin</c> (documented in its --help and in the README): its own two below
/// the sysexits range, the rest from the one table of sysexits values, <see cref="ExitCodes"/>.
/// </summary>
public static class AdminExitCodes
{
    /// <summary>No such entry, or a negative answer (auth refused, confirmation not given).</summary>
    public const int NotFound = 1;
    /// <summary>Bad command line or bad argument (e.g. an empty user name).</summary>
    public const int Usage = 2;

    public static int Of(AdminStatus status) => status switch
    {
        AdminStatus.Ok => ExitCodes.Ok,
        AdminStatus.NotFound => NotFound,
        AdminStatus.BadRequest => Usage,
        AdminStatus.Unreadable or AdminStatus.Failed => ExitCodes.IoError,
        AdminStatus.Unavailable => ExitCodes.Unavailable,
        _ => ExitCodes.Protocol,
    };
}

/// <summary>A failure of the admin tool with its exit code; the message is the one line the operator sees.</summary>
public sealed class AdminFailure(int exitCode, string message) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
