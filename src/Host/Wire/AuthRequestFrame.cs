using System.Text;

using OpenBastion.Engine;

namespace OpenBastion.Wire;

/// <summary>
/// AUTH_REQUEST (module → daemon). Empty <see cref="RemoteHost"/> / <see cref="Tty"/> mean "not given".
/// The frame owns <see cref="Password"/>: disposing the frame zeroes it. Equality compares the
/// password by reference, never by value. <see cref="ToString"/> never shows the password.
/// </summary>
public sealed record AuthRequestFrame(
    string User,
    Secret Password,
    string Service,
    string RemoteHost,
    string Tty,
    bool AllowOffline,
    uint TimeoutMs) : BridgeFrame, IDisposable
{
    public override FrameType Type => FrameType.AuthRequest;

    /// <summary>The time the module waits for the answer.</summary>
    public TimeSpan Timeout => TimeSpan.FromMilliseconds(TimeoutMs);

    public void Dispose() => Password.Dispose();

    protected override bool PrintMembers(StringBuilder b)
    {
        b.Append($"User = {User}, Service = {Service}, RemoteHost = {RemoteHost}, Tty = {Tty}, ");
        b.Append($"AllowOffline = {AllowOffline}, TimeoutMs = {TimeoutMs}");
        return true;
    }
}
