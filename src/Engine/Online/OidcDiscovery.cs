using System.Text.Json;

namespace OpenBastion.Engine.Online;

/// <summary>The two endpoints the engine needs from the portal's OpenID Connect discovery document.</summary>
public sealed record OidcEndpoints(Uri TokenEndpoint, Uri? UserinfoEndpoint);

/// <summary>
/// Reads <c>{portal_url}/.well-known/openid-configuration</c> and keeps the endpoints after the first
/// good answer. A failed fetch caches nothing, and <see cref="Forget"/> drops the cached copy (the
/// client calls it when the portal stops answering), so the next login fetches it again.
/// </summary>
public sealed class OidcDiscovery
{
    public const string WellKnownPath = ".well-known/openid-configuration";

    private readonly Uri _portal;
    private OidcEndpoints? _cached;

    public OidcDiscovery(Uri portal)
    {
        _portal = portal;
        DocumentUri = new Uri(WithTrailingSlash(portal), WellKnownPath);
    }

    /// <summary>Where the discovery document lives.</summary>
    public Uri DocumentUri { get; }

    /// <summary>The endpoints of the last good document, or null before the first one.</summary>
    public OidcEndpoints? Cached => Volatile.Read(ref _cached);

    public void Forget() => Volatile.Write(ref _cached, null);

    /// <summary>Remembers endpoints parsed from a good document.</summary>
    public void Remember(OidcEndpoints endpoints) => Volatile.Write(ref _cached, endpoints);

    /// <summary>
    /// Parses a discovery document. Null, with a reason fit for logs, when it is not JSON, lacks a
    /// usable <c>token_endpoint</c>, would send the password over plain HTTP while the portal is
    /// configured with HTTPS (a downgrade a tampered document could cause), or fails the checks of
    /// IdentityModel's discovery policy: its <c>issuer</c> must be the portal's URL (scheme, host,
    /// port and path; a trailing slash does not count) and the token and userinfo endpoints must be
    /// on the portal's origin (scheme, host and port), so a tampered or misdirected document cannot
    /// send the password or the token anywhere else.
    /// </summary>
    public OidcEndpoints? Parse(ReadOnlySpan<byte> json, out string? reason)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                reason = "discovery document is not a JSON object";
                return null;
            }
            var token = Endpoint(doc.RootElement, "token_endpoint");
            if (token is null)
            {
                reason = "discovery document has no usable token_endpoint";
                return null;
            }
            if (IsDowngrade(token))
            {
                reason = "discovery document points the token endpoint at plain HTTP while portal_url is HTTPS";
                return null;
            }
            if (IssuerProblem(doc.RootElement) is { } issuerProblem)
            {
                reason = issuerProblem;
                return null;
            }
            if (!SameOrigin(token))
            {
                reason = $"discovery document puts the token endpoint on {Origin(token)}, not on the portal's origin {Origin(_portal)}";
                return null;
            }
            Uri? userinfo = null;
            if (doc.RootElement.TryGetProperty("userinfo_endpoint", out var advertised) && advertised.ValueKind != JsonValueKind.Null)
            {
                userinfo = Endpoint(doc.RootElement, "userinfo_endpoint");
                if (userinfo is null || !SameOrigin(userinfo))
                {
                    reason = userinfo is null
                        ? "discovery document has an unusable userinfo_endpoint"
                        : $"discovery document puts the userinfo endpoint on {Origin(userinfo)}, not on the portal's origin {Origin(_portal)}";
                    return null;
                }
            }
            reason = null;
            return new OidcEndpoints(token, userinfo);
        }
        catch (JsonException)
        {
            reason = "discovery document is not valid JSON";
            return null;
        }
    }

    private string? IssuerProblem(JsonElement root)
    {
        if (!root.TryGetProperty("issuer", out var value) || value.ValueKind != JsonValueKind.String
            || !Uri.TryCreate(value.GetString(), UriKind.Absolute, out var issuer)
            || (issuer.Scheme != Uri.UriSchemeHttp && issuer.Scheme != Uri.UriSchemeHttps))
        {
            return "discovery document has no usable issuer";
        }
        return SameOrigin(issuer) && TrimmedPath(issuer) == TrimmedPath(_portal) && issuer.Query.Length == 0
            ? null
            : $"discovery document's issuer {Origin(issuer)}{TrimmedPath(issuer)} is not portal_url {Origin(_portal)}{TrimmedPath(_portal)}";
    }

    // Uri normalises the scheme and host to lower case and fills in the default port.
    private bool SameOrigin(Uri endpoint) =>
        endpoint.Scheme == _portal.Scheme
        && string.Equals(endpoint.IdnHost, _portal.IdnHost, StringComparison.OrdinalIgnoreCase)
        && endpoint.Port == _portal.Port;

    private static string Origin(Uri uri) => $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";

    private static string TrimmedPath(Uri uri) => uri.AbsolutePath.TrimEnd('/');

    private bool IsDowngrade(Uri endpoint) =>
        _portal.Scheme == Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttps;

    private static Uri? Endpoint(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String) return null;
        if (!Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri)) return null;
        return uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps ? uri : null;
    }

    internal static Uri WithTrailingSlash(Uri uri) =>
        uri.AbsolutePath.EndsWith('/') ? uri : new Uri(uri.GetLeftPart(UriPartial.Path) + "/");
}
