using OpenBastion.Actors.Protocol;
using OpenBastion.Wire;

namespace OpenBastion.Host.Bridge;

/// <summary>
/// The actors' <see cref="AuthResult"/> as the AUTH_RESPONSE the module maps to a PAM code
/// (docs/protocol: "Mapping from actor replies"). Messages are for the user's terminal: no secret, no
/// engine internals (an <see cref="AuthResult.Error"/>'s reason stays in the daemon's log).
/// </summary>
public static class AuthResponseMapper
{
    public static AuthResponseFrame ToFrame(AuthResult result) => result switch
    {
        AuthResult.Success s => new AuthResponseFrame(
            BridgeStatus.Success,
            Offline: s.Path == AuthPath.Offline,
            Seconds: s.Path == AuthPath.Offline ? Seconds(s.CachedAge ?? TimeSpan.Zero) : 0,
            Message: s.Path == AuthPath.Offline ? "Authenticated with cached credentials (offline mode)" : "Authenticated",
            Gecos: Field(s.Attributes.Gecos, BridgeProtocol.MaxGecos),
            Shell: Field(s.Attributes.Shell, BridgeProtocol.MaxShell),
            Home: Field(s.Attributes.Home, BridgeProtocol.MaxHome)),
        AuthResult.WrongPassword w => new AuthResponseFrame(
            BridgeStatus.WrongPassword, Offline: w.Path == AuthPath.Offline, 0, "Authentication failed"),
        AuthResult.Locked l => new AuthResponseFrame(
            BridgeStatus.Locked, Offline: true, Seconds(TimeSpan.FromSeconds(Math.Max(0, l.SecondsLeft))),
            $"Account locked (offline mode): try again in {Math.Max(0, l.SecondsLeft)} seconds"),
        AuthResult.Unavailable u => u.Reason switch
        {
            UnavailableReason.NotCached => new AuthResponseFrame(
                BridgeStatus.NotCached, false, 0, "Authentication service unavailable and no cached credentials"),
            UnavailableReason.Expired => new AuthResponseFrame(
                BridgeStatus.Expired, false, 0, "Authentication service unavailable and cached credentials expired"),
            UnavailableReason.TimedOut => new AuthResponseFrame(
                BridgeStatus.TimedOut, false, 0, "Authentication timed out"),
            _ => new AuthResponseFrame(BridgeStatus.Unavailable, false, 0, "Authentication service unavailable"),
        },
        AuthResult.Busy => new AuthResponseFrame(BridgeStatus.Busy, false, 0, "Too many login attempts in progress, try again"),
        AuthResult.Error => new AuthResponseFrame(BridgeStatus.Error, false, 0, "Authentication service error"),
        _ => new AuthResponseFrame(BridgeStatus.Error, false, 0, "Authentication service error"),
    };

    /// <summary>The answer sent when the daemon itself is over its connection bound.</summary>
    public static readonly AuthResponseFrame ServerBusy =
        new(BridgeStatus.Busy, false, 0, "Authentication daemon busy, try again");

    /// <summary>The answer to a non-root peer over its rate (PeerPolicy): BUSY, so the PAM stack falls through.</summary>
    public static readonly AuthResponseFrame PeerRateLimited =
        new(BridgeStatus.Busy, false, 0, "Too many authentication requests from this user, try again later");

    private static uint Seconds(TimeSpan span) =>
        span <= TimeSpan.Zero ? 0 : span.TotalSeconds >= uint.MaxValue ? uint.MaxValue : (uint)span.TotalSeconds;

    /// <summary>An attribute as the wire allows it: no NUL or control characters, within its byte limit.</summary>
    private static string Field(string? value, int maxBytes)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var clean = string.Concat(value.Where(c => !char.IsControl(c)));
        return BridgeProtocol.TruncateUtf8(clean, maxBytes);
    }
}
