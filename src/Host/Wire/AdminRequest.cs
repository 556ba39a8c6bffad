using System.Text;

using OpenBastion.Engine;

namespace OpenBastion.Wire;

/// <summary>
/// A decoded ADMIN_REQUEST: a command and its fixed arguments. <see cref="Password"/> is set for
/// <see cref="AdminCommand.Auth"/> only (its second argument on the wire) and never printed; dispose
/// the request to zero it.
/// </summary>
public sealed record AdminRequest(AdminCommand Command, IReadOnlyList<string> Arguments, Secret? Password = null) : IDisposable
{
    /// <summary>Who asks (for the daemon's log and a forced connectivity state); not sent on the wire.</summary>
    public string Operator { get; init; } = "ob-cache-admin";

    public static AdminRequest Of(AdminCommand command, params string[] arguments) => new(command, arguments);

    /// <summary>The user named by the first argument (show, invalidate, unlock, auth).</summary>
    public string User => Arguments.Count > 0 ? Arguments[0] : "";

    public void Dispose() => Password?.Dispose();

    private bool PrintMembers(StringBuilder b)
    {
        b.Append($"Command = {Command}, Arguments = [{string.Join(", ", Arguments)}], Password = {(Password is null ? "(none)" : "***")}");
        return true;
    }
}

/// <summary>
/// A decoded ADMIN_RESPONSE frame. A long <see cref="Text"/> is sent as several frames, all but the
/// last with <see cref="More"/> set; the receiver concatenates the texts.
/// </summary>
public sealed record AdminResponse(AdminStatus Status, string Text, bool More = false);
