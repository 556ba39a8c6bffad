using System.Net;
using System.Text;

namespace OpenBastion.Actors.Tests.Doubles;

/// <summary>
/// HTTP answers shaped like a LemonLDAP::NG 2.16 portal's, for the engine's real <c>LlngClient</c>:
/// the discovery document; the token endpoint answers 200 with a token for the right password,
/// 400 <c>invalid_request</c> for a Perl-false password ("" or "0", as LLNG does) and 400
/// <c>invalid_grant</c> otherwise; userinfo answers the user's name.
/// </summary>
public sealed class LlngLikeHandler : HttpMessageHandler
{
    public const string Base = "http://portal.test";
    private readonly Dictionary<string, string> _passwords = new();
    private int _tokenRequests;

    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    public LlngLikeHandler Knows(string user, string password)
    {
        lock (_passwords) _passwords[user] = password;
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var path = request.RequestUri!.AbsolutePath;
        switch (path)
        {
            case "/.well-known/openid-configuration":
                return Json(HttpStatusCode.OK,
                    $$"""{"issuer":"{{Base}}","token_endpoint":"{{Base}}/oauth2/token","userinfo_endpoint":"{{Base}}/oauth2/userinfo"}""");
            case "/oauth2/token":
                Interlocked.Increment(ref _tokenRequests);
                var form = (await request.Content!.ReadAsStringAsync(ct)).Split('&')
                    .Select(pair => pair.Split('='))
                    .ToDictionary(kv => WebUtility.UrlDecode(kv[0]), kv => WebUtility.UrlDecode(kv[1]));
                var user = form.GetValueOrDefault("username", "");
                var password = form.GetValueOrDefault("password", "");
                if (user is "" or "0" || password is "" or "0")
                    return Json(HttpStatusCode.BadRequest, """{"error":"invalid_request"}""");
                string? known;
                lock (_passwords) known = _passwords.GetValueOrDefault(user);
                return known == password
                    ? Json(HttpStatusCode.OK, """{"access_token":"tok-abc","token_type":"Bearer","expires_in":3600}""")
                    : Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""");
            case "/oauth2/userinfo":
                return Json(HttpStatusCode.OK, """{"sub":"x","name":"LLNG user"}""");
            default:
                return Json(HttpStatusCode.NotFound, "{}");
        }
    }

    private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
        new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
}
