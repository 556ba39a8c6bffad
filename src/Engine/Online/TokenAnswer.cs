using System.Net;
using System.Text.Json;

namespace OpenBastion.Engine.Online;

/// <summary>
/// Classifies the token endpoint's answer to a password grant (DESIGN §3.1 step 4): 200 with an
/// access token is a success; 400 <c>invalid_grant</c> means the portal judged the password and said
/// no; anything else (401/400 <c>invalid_client</c>, other 4xx errors, 5xx, redirects, garbage) means
/// the portal could not judge it.
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

        var error = ErrorCode(body);
        failure = status == HttpStatusCode.BadRequest && error == "invalid_grant"
            ? new OnlineOutcome.Rejected("invalid_grant")
            : new OnlineOutcome.Unavailable($"token endpoint answered {code}{(error is null ? "" : " " + error)}");
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

    /// <summary>The OAuth2 <c>error</c> code when it looks like one (RFC 6749 §5.2), else null.</summary>
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
