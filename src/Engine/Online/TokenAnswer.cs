using System.Net;
using System.Text.Json;

namespace OpenBastion.Engine.Online;

/// <summary>
/// Classifies the token endpoint's answer to a password grant (DESIGN §3.1 step 4, as amended by
/// issue 10: an answer in which the portal judged the request is never an outage):
/// <list type="bullet">
/// <item>200 with a usable access token → a success;</item>
/// <item>any 4xx whose body is an OAuth2 error object (RFC 6749 §5.2, an <c>error</c> code) → a
/// rejection: <c>invalid_grant</c> means the portal judged the password; any other code
/// (<c>invalid_request</c>, which LLNG 2.16 answers for a Perl-false password such as "0",
/// <c>invalid_client</c>, <c>unauthorized_client</c>, <c>unsupported_grant_type</c>, …) is a refused
/// request, still a rejection: the portal is up and said no;</item>
/// <item>everything else (5xx, 3xx, a 4xx without an OAuth2 error body, 200 without a token,
/// garbage) → the portal could not judge: unavailable.</item>
/// </list>
/// </summary>
internal static class TokenAnswer
{
    /// <summary>The access token on success, else null and the outcome to return.</summary>
    public static string? Classify(HttpStatusCode status, ReadOnlySpan<byte> body, out OnlineOutcome? failure)
    {
        var code = (int)status;
        if (status == HttpStatusCode.OK)
        {
            var token = AccessToken(body, out var problem);
            failure = token is null ? new OnlineOutcome.Unavailable($"token endpoint answered 200 {problem}") : null;
            return token;
        }

        var error = code is >= 400 and < 500 ? ErrorCode(body) : null;
        failure = error is not null
            ? new OnlineOutcome.Rejected(error)
            : new OnlineOutcome.Unavailable($"token endpoint answered {code}{(code is >= 400 and < 500 ? " without an OAuth2 error" : "")}");
        return null;
    }

    private static string? AccessToken(ReadOnlySpan<byte> body, out string problem)
    {
        using var doc = TryParse(body);
        problem = "with an unparsable body";
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) return null;
        problem = "without a usable access_token";
        if (!doc.RootElement.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var value = token.GetString();
        if (string.IsNullOrEmpty(value) || value.Length > 8192) return null;
        foreach (var c in value)
        {
            // it goes into an Authorization header: visible ASCII only (RFC 6750 b64token and more)
            if (c is < '!' or > '~') return null;
        }
        return value;
    }

    /// <summary>
    /// The OAuth2 <c>error</c> code when the body is a JSON object whose <c>error</c> is a short code
    /// (RFC 6749 §5.2: lower-case letters, digits and '_' in every registered code), else null. Only
    /// the code is kept: an <c>error_description</c> may echo what was sent.
    /// </summary>
    private static string? ErrorCode(ReadOnlySpan<byte> body)
    {
        using var doc = TryParse(body);
        if (doc is null || doc.RootElement.ValueKind != JsonValueKind.Object) return null;
        if (!doc.RootElement.TryGetProperty("error", out var error) || error.ValueKind != JsonValueKind.String) return null;
        var value = error.GetString();
        if (string.IsNullOrEmpty(value) || value.Length > 64) return null;
        foreach (var c in value)
        {
            if (c is not (>= 'a' and <= 'z' or >= '0' and <= '9' or '_')) return null;
        }
        return value;
    }

    private static JsonDocument? TryParse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
