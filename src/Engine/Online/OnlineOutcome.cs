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

    /// <summary>
    /// The portal judged the request and said no; <paramref name="Reason"/> is its OAuth2 error code.
    /// Never fall back to the cache, never an outage. <c>invalid_grant</c>: it judged the password
    /// (<see cref="JudgedPassword"/>); any other code (<c>invalid_request</c> for a Perl-false
    /// password in LLNG 2.16, <c>invalid_client</c>, <c>unsupported_grant_type</c>, …): it refused the request.
    /// </summary>
    public sealed record Rejected(string Reason) : OnlineOutcome
    {
        public const string InvalidGrant = "invalid_grant";

        /// <summary><c>invalid_grant</c>: the portal checked this user's password and it is wrong.</summary>
        public bool JudgedPassword => Reason == InvalidGrant;

        /// <summary>
        /// <c>invalid_client</c> / <c>unauthorized_client</c>: the portal refused this daemon's client
        /// credentials or grant, so every online login fails until an operator fixes the configuration.
        /// </summary>
        public bool ClientRefused => Reason is "invalid_client" or "unauthorized_client";
    }

    /// <summary>
    /// The portal could not judge: refused connection, timeout, DNS/TLS, 5xx, or an answer that is not
    /// a token nor an OAuth2 error (3xx, a 4xx without an error object, 200 without a token, garbage).
    /// </summary>
    public sealed record Unavailable(string Reason) : OnlineOutcome;
}

/// <summary>The online half of an authentication: LLNG in production, a scripted double in tests.</summary>
public interface IOnlineAuthenticator
{
    /// <summary>Never throws for network or protocol faults: they are <see cref="OnlineOutcome.Unavailable"/>.</summary>
    Task<OnlineOutcome> AuthenticateAsync(string user, Secret password, CancellationToken cancellationToken);

    /// <summary>
    /// True when the portal answers its probe in time: a discovery document that passes the issuer and
    /// origin checks. A request no client can shape, so the connectivity monitor may decide on it alone.
    /// </summary>
    Task<bool> ProbeAsync(CancellationToken cancellationToken);
}
