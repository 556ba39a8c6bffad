using OpenBastion.Host.Native;

namespace OpenBastion.Host.Bridge;

/// <summary>What the bridge does with a peer's AUTH_REQUEST.</summary>
public enum PeerVerdict
{
    /// <summary>Served by the actors.</summary>
    Allow,
    /// <summary>Answered ERROR FORBIDDEN: this peer may not authenticate this user.</summary>
    Forbidden,
    /// <summary>Answered AUTH_RESPONSE BUSY (PAM falls through): the peer is over its rate.</summary>
    Busy,
    /// <summary>As <see cref="Busy"/>, already refused since its last allowed request: not logged again (a flood must not flood the log).</summary>
    BusyAgain,
}

/// <summary>The kind of peer, from its uid (SO_PEERCRED).</summary>
public enum PeerKind
{
    /// <summary>uid 0: any user, and admin frames.</summary>
    Root,
    /// <summary>A uid in socket_allowed_uids (a display manager under its own uid…): any user, never admin frames, rate-limited per user.</summary>
    TrustedService,
    /// <summary>Anyone else (a screen locker, su, sudo run by the user…): only its own account, rate-limited.</summary>
    Ordinary,
}

/// <summary>Resolves a user name to its uid (NSS); null when there is no such account.</summary>
public interface IAccountDirectory
{
    uint? UidOf(string user);
}

/// <summary>The system's accounts through getpwnam_r.</summary>
public sealed class SystemAccounts : IAccountDirectory
{
    public static readonly SystemAccounts Instance = new();

    public uint? UidOf(string user) => PasswdLookup.UidOf(user);
}

/// <summary>
/// Who may ask the daemon what over the bridge socket (the one home of this rule; README "Security",
/// docs/PROTOCOL.md §1). The socket is connectable by every local user, as SSSD's PAM socket is:
/// <list type="bullet">
/// <item>root: any user; admin frames (those are refused to every other uid by the admin handler,
/// <c>AdminHandler.AdminUid</c>, whatever this policy says);</item>
/// <item>a uid in <c>socket_allowed_uids</c>: any user, never admin frames; rate-limited per (uid, user),
/// so one busy login screen does not starve another user's unlock;</item>
/// <item>any other uid: only the account whose passwd entry (getpwnam_r) has that uid, so a user can
/// check their own password (a screen locker) but cannot guess or lock out anyone else's;
/// rate-limited per uid. Everything else is FORBIDDEN.</item>
/// </list>
/// The rate is checked first: a peer over its rate is answered BUSY even for a user it may not ask
/// for, so that no name lookup (which may go to LDAP) runs for a peer that floods the socket.
/// </summary>
public sealed class PeerPolicy(IReadOnlyCollection<uint> trustedUids, IAccountDirectory accounts, PeerRateLimiter limiter)
{
    public const uint RootUid = 0;

    public static PeerPolicy From(BridgeOptions options, TimeProvider time, IAccountDirectory? accounts = null) =>
        new(options.AllowedUids, accounts ?? SystemAccounts.Instance, new PeerRateLimiter(options.PeerBurst, options.PeerRefill, time));

    public PeerKind Classify(uint uid) =>
        uid == RootUid ? PeerKind.Root : trustedUids.Contains(uid) ? PeerKind.TrustedService : PeerKind.Ordinary;

    /// <summary>Whether the peer running as <paramref name="uid"/> may have <paramref name="user"/> authenticated now (takes a token when it is not root).</summary>
    public PeerVerdict MayAuthenticate(uint uid, string user)
    {
        var kind = Classify(uid);
        if (kind == PeerKind.Root) return PeerVerdict.Allow;
        switch (limiter.Take(uid, kind == PeerKind.TrustedService ? user : null))
        {
            case RateDecision.Refused:
                return PeerVerdict.Busy;
            case RateDecision.RefusedAgain:
                return PeerVerdict.BusyAgain;
        }
        return kind == PeerKind.TrustedService || accounts.UidOf(user) == uid ? PeerVerdict.Allow : PeerVerdict.Forbidden;
    }
}
