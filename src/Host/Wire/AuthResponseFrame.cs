namespace OpenBastion.Wire;

/// <summary>
/// AUTH_RESPONSE (daemon → module). <see cref="Seconds"/>: lockout left when <see cref="BridgeStatus.Locked"/>,
/// age of the cached verifier on an offline success, else 0. Gecos/Shell/Home are filled on success only.
/// </summary>
public sealed record AuthResponseFrame(
    BridgeStatus Status,
    bool Offline,
    uint Seconds,
    string Message,
    string Gecos = "",
    string Shell = "",
    string Home = "") : BridgeFrame
{
    public override FrameType Type => FrameType.AuthResponse;
}
