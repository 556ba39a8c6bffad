using OpenBastion.Wire;

namespace OpenBastion.Host.Admin;

/// <summary>
/// Serves one admin request: the daemon (<see cref="AdminHandler"/>, through the actors), the direct
/// path on the files under the directory lock (<see cref="AdminTool.DirectAdmin"/>), or the client that sends
/// the request to the daemon (<see cref="AdminTool.DaemonAdminClient"/>). The reply's text is JSON
/// (AdminReports.cs); a refusal carries an <see cref="ErrorReport"/>.
/// </summary>
public interface IAdminExecutor
{
    Task<AdminReply> ExecuteAsync(AdminRequest request, CancellationToken cancellationToken);
}

/// <summary>A whole admin response (all frames joined).</summary>
public sealed record AdminReply(AdminStatus Status, string Json)
{
    public static AdminReply Ok<T>(T report) => new(AdminStatus.Ok, AdminJson.Write(report));

    public static AdminReply Error(AdminStatus status, string message) => new(status, AdminJson.Write(new ErrorReport(message)));
}
