using System.Text;
using OpenBastion.Engine;

namespace OpenBastion.Actors.Protocol;

/// <summary>
/// One login attempt, as the PAM module sends it (DESIGN §3.1). Sent to the user registry, which
/// routes it to the user's actor; the reply is an <see cref="AuthResult"/>.
/// <paramref name="AllowOffline"/> is false when the module was told <c>no_offline_cache</c>.
/// <paramref name="Deadline"/>: the caller gives up then; a request still queued at that time is not hashed.
/// </summary>
public sealed record Authenticate(
    string User,
    Secret Password,
    string Service,
    string? RemoteHost,
    string? Tty,
    bool AllowOffline,
    DateTimeOffset Deadline)
{
    // Secret.ToString is redacted already; keep the password out of the text entirely all the same.
    private bool PrintMembers(StringBuilder b)
    {
        b.Append($"User = {User}, Service = {Service}, RemoteHost = {RemoteHost}, Tty = {Tty}, AllowOffline = {AllowOffline}, Deadline = {Deadline:O}");
        return true;
    }
}
