namespace OpenBastion.Engine.Online;

/// <summary>What the user's attributes are, as far as the portal (or the defaults) say.</summary>
public sealed record UserAttributes(string? Gecos, string? Shell, string? Home);

/// <summary>The classification of one online authentication (DESIGN §3.1 step 4).</summary>
public abstract record OnlineOutcome
{
    private OnlineOutcome() { }

    /// <summary>The portal issued a token.</summary>
    public sealed record Accepted(UserAttributes Attributes) : OnlineOutcome
    {
        /// <summary>
        /// Why some attributes are the configured defaults although a token was issued (for example the
        /// userinfo call failed); for logs only, never holds a secret. Null when nothing is worth saying.
        /// </summary>
        public string? Note { get; init; }
    }

    /// <summary>The portal judged the password (<c>invalid_grant</c>). Never fall back to the cache.</summary>
    public sealed record Rejected(string Reason) : OnlineOutcome;

    /// <summary>The portal could not judge: refused, timeout, DNS/TLS, 5xx, invalid_client, garbage.</summary>
    public sealed record Unavailable(string Reason) : OnlineOutcome;
}

/// <summary>The online half of an authentication: LLNG in production, a scripted double in tests.</summary>
public interface IOnlineAuthenticator
{
    /// <summary>Never throws for network or protocol faults: they are <see cref="OnlineOutcome.Unavailable"/>.</summary>
    Task<OnlineOutcome> AuthenticateAsync(string user, Secret password, CancellationToken cancellationToken);

    /// <summary>True when the portal answers its probe (discovery document or /ping) in time.</summary>
    Task<bool> ProbeAsync(CancellationToken cancellationToken);
}
