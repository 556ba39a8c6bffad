using System.Net;
using System.Net.Http.Headers;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Online;

/// <summary>
/// Authenticates a password against a LemonLDAP::NG portal with the OAuth2 resource-owner password
/// grant: endpoints from the OpenID Connect discovery document (cached), <c>client_secret_post</c>,
/// <c>scope=openid profile email</c>, then the userinfo endpoint for gecos, shell and home.
/// The whole exchange (discovery, token, userinfo) shares one <c>offline_timeout</c> budget.
/// Network and protocol faults are outcomes, never exceptions; only the caller's cancellation throws.
/// </summary>
public sealed class LlngClient : IOnlineAuthenticator, IDisposable
{
    private const int MaxAnswerBytes = 256 * 1024;

    private readonly EngineSettings _settings;
    private readonly string _clientId;
    private readonly HttpClient _pooled;   // for a portal that keeps connections alive
    private readonly HttpClient _oneShot;  // one connection per request
    private readonly HttpMessageHandler? _sharedHandler;
    private readonly OidcDiscovery _discovery;
    private readonly TimeProvider _time;
    private bool _reuseConnections; // false until the portal has shown it keeps connections alive

    /// <param name="settings">portal_url, client_id, client_secret, offline_timeout, default shell/home.</param>
    /// <param name="handler">Replaces the socket handler (tests); disposed with the client.</param>
    /// <param name="time">The clock of the offline_timeout budget (tests); the system clock by default.</param>
    public LlngClient(EngineSettings settings, HttpMessageHandler? handler = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (string.IsNullOrWhiteSpace(settings.PortalUrl)
            || !Uri.TryCreate(settings.PortalUrl, UriKind.Absolute, out var portal)
            || (portal.Scheme != Uri.UriSchemeHttp && portal.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException("portal_url must be an absolute http:// or https:// URL", nameof(settings));
        }
        if (string.IsNullOrWhiteSpace(settings.ClientId))
        {
            throw new ArgumentException("client_id must be set", nameof(settings));
        }
        if (settings.OfflineTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("offline_timeout must be positive", nameof(settings));
        }

        _settings = settings;
        _clientId = settings.ClientId;
        _time = time ?? TimeProvider.System;
        _discovery = new OidcDiscovery(portal);
        _sharedHandler = handler;
        _pooled = CreateClient(handler ?? CreateSocketHandler(settings.OfflineTimeout, pooled: true), handler is null);
        _oneShot = CreateClient(handler ?? CreateSocketHandler(settings.OfflineTimeout, pooled: false), handler is null);
    }

    /// <summary>The discovery document's address (for logs and probes).</summary>
    public Uri DiscoveryUri => _discovery.DocumentUri;

    public async Task<OnlineOutcome> AuthenticateAsync(string user, Secret password, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        ArgumentNullException.ThrowIfNull(password);

        using var budget = new CancellationTokenSource(_settings.OfflineTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        var ct = linked.Token;
        var step = "discovery";
        var endpoint = _discovery.DocumentUri;
        try
        {
            var endpoints = _discovery.Cached;
            if (endpoints is null)
            {
                (endpoints, var problem) = await DiscoverAsync(ct).ConfigureAwait(false);
                if (endpoints is null) return new OnlineOutcome.Unavailable(problem!);
            }

            step = "token endpoint";
            endpoint = endpoints.TokenEndpoint;
            var (token, failure) = await RequestTokenAsync(endpoints.TokenEndpoint, user, password, ct).ConfigureAwait(false);
            if (token is null)
            {
                if (failure is OnlineOutcome.Unavailable) _discovery.Forget();
                return failure!;
            }

            var (attributes, note) = await FetchAttributesAsync(endpoints.UserinfoEndpoint, token, user, cancellationToken, ct)
                .ConfigureAwait(false);
            return new OnlineOutcome.Accepted(attributes) { Note = note };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            _discovery.Forget();
            return new OnlineOutcome.Unavailable(TransportFailure.TimedOut(step, endpoint, _settings.OfflineTimeout));
        }
        catch (Exception e) when (IsTransport(e))
        {
            _discovery.Forget();
            return new OnlineOutcome.Unavailable(TransportFailure.Describe(step, endpoint, e));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A fault of this client or of the HTTP stack must not turn into a login without an answer.
            // Only the type is reported: an exception message might quote a header or a body.
            _discovery.Forget();
            return new OnlineOutcome.Unavailable($"{step}: unexpected {e.GetType().Name} ({endpoint.Authority})");
        }
    }

    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(_settings.OfflineTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            var (endpoints, _) = await DiscoverAsync(linked.Token).ConfigureAwait(false);
            return endpoints is not null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _pooled.Dispose();
        _oneShot.Dispose();
        _sharedHandler?.Dispose();
    }

    public override string ToString() => $"LlngClient({_discovery.DocumentUri.GetLeftPart(UriPartial.Authority)}, client_id={_clientId})";

    private async Task<(OidcEndpoints? Endpoints, string? Problem)> DiscoverAsync(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _discovery.DocumentUri);
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return (null, $"discovery: portal answered {(int)response.StatusCode} ({_discovery.DocumentUri.Authority})");
        }
        var endpoints = _discovery.Parse(body, out var problem);
        if (endpoints is null) return (null, $"discovery: {problem} ({_discovery.DocumentUri.Authority})");
        _discovery.Remember(endpoints);
        return (endpoints, null);
    }

    private async Task<(string? Token, OnlineOutcome? Failure)> RequestTokenAsync(
        Uri tokenEndpoint, string user, Secret password, CancellationToken ct)
    {
        using var form = new PasswordGrantForm(_clientId, _settings.ClientSecret, user, password);
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = form.ToContent() };
        using var response = await SendAsync(request, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var token = TokenAnswer.Classify(response.StatusCode, body, out var failure);
        return (token, failure);
    }

    /// <summary>
    /// Attributes from userinfo. The token was issued, so the login is accepted whatever happens here:
    /// a failure yields the defaults and a note for the logs (only the caller's cancellation throws).
    /// </summary>
    private async Task<(UserAttributes Attributes, string? Note)> FetchAttributesAsync(
        Uri? userinfo, string token, string user, CancellationToken callerToken, CancellationToken ct)
    {
        var defaults = UserinfoClaims.Defaults(_settings, user);
        if (userinfo is null) return (defaults, "userinfo: the portal advertises no userinfo_endpoint; defaults used");
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, userinfo);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await SendAsync(request, ct).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (defaults, $"userinfo: portal answered {(int)response.StatusCode}; defaults used");
            }
            var attributes = UserinfoClaims.Parse(body, _settings, user, out var problem);
            return attributes is null ? (defaults, $"{problem}; defaults used") : (attributes, null);
        }
        catch (OperationCanceledException) when (!callerToken.IsCancellationRequested)
        {
            return (defaults, TransportFailure.TimedOut("userinfo", userinfo, _settings.OfflineTimeout) + "; defaults used");
        }
        catch (Exception e) when (IsTransport(e))
        {
            return (defaults, TransportFailure.Describe("userinfo", userinfo, e) + "; defaults used");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (defaults, $"userinfo: unexpected {e.GetType().Name}; defaults used");
        }
    }

    // SocketsHttpHandler keeps a connection in its pool even after an HTTP/1.0 answer without keep-alive,
    // although such a server closes it (LLNG under plackup's HTTP::Server::PSGI does): the next request
    // then races the server's close and fails with "connection reset" (a third of the time on loopback).
    // So requests go through a client that never pools until the portal has answered HTTP/1.1 with
    // keep-alive, and go back to it as soon as the portal stops doing so.
    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var reuse = Volatile.Read(ref _reuseConnections);
        if (!reuse) request.Headers.ConnectionClose = true;
        var response = await (reuse ? _pooled : _oneShot).SendAsync(request, ct).ConfigureAwait(false);
        var keepsAlive = response.Version >= HttpVersion.Version11
            ? response.Headers.ConnectionClose != true
            : response.Headers.Connection.Contains("keep-alive", StringComparer.OrdinalIgnoreCase);
        Volatile.Write(ref _reuseConnections, keepsAlive);
        return response;
    }

    private static HttpClient CreateClient(HttpMessageHandler handler, bool ownsHandler)
    {
        var client = new HttpClient(handler, ownsHandler)
        {
            Timeout = Timeout.InfiniteTimeSpan, // the offline_timeout budget covers the whole exchange
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("OpenBastion.Actors", "1.0"));
        return client;
    }

    private static bool IsTransport(Exception e) => e is HttpRequestException or IOException;

    private static SocketsHttpHandler CreateSocketHandler(TimeSpan offlineTimeout, bool pooled) => new()
    {
        ConnectTimeout = offlineTimeout,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),    // pick up DNS changes of the portal
        // Zero disables pooling. Otherwise 2 s: below common server keep-alive timeouts (Apache 5 s,
        // nginx 75 s), so this side closes an idle connection before the server can race it.
        PooledConnectionIdleTimeout = pooled ? TimeSpan.FromSeconds(2) : TimeSpan.Zero,
        AllowAutoRedirect = false,                             // never replay a password to another place
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };
}
