using System.Net;
using System.Text;

namespace OpenBastion.Engine.Tests.Online;

/// <summary>
/// An in-memory LLNG portal behind an <see cref="HttpMessageHandler"/>: each endpoint's answer is a
/// script the test replaces; every request is recorded (method, path, body, Authorization header).
/// </summary>
internal sealed class FakePortal : HttpMessageHandler
{
    public const string Base = "http://portal.test";
    public const string Token = "tok-7f3a9c-ACCESS";

    public delegate Task<HttpResponseMessage> Script(HttpRequestMessage request, CancellationToken ct);

    public sealed record Seen(HttpMethod Method, string Path, string? Body, string? Authorization, bool ConnectionClose);

    public List<Seen> Requests { get; } = [];

    /// <summary>The HTTP version of every answer (plackup's HTTP::Server::PSGI answers 1.0).</summary>
    public Version ResponseVersion { get; set; } = HttpVersion.Version11;

    public Script Discovery { get; set; } = (_, _) => Json(HttpStatusCode.OK, DiscoveryDocument());
    public Script TokenEndpoint { get; set; } = (_, _) => Json(HttpStatusCode.OK,
        $$"""{"access_token":"{{Token}}","token_type":"Bearer","expires_in":3600,"id_token":"x.y.z"}""");
    public Script Userinfo { get; set; } = (_, _) => Json(HttpStatusCode.OK,
        """{"sub":"dwho","name":"Doctor Who","email":"dwho@badwolf.org"}""");

    public int Count(string path) => Requests.Count(r => r.Path == path);

    public static string DiscoveryDocument(string baseUrl = Base) => $$"""
        {"issuer":"{{baseUrl}}","token_endpoint":"{{baseUrl}}/oauth2/token",
         "userinfo_endpoint":"{{baseUrl}}/oauth2/userinfo","jwks_uri":"{{baseUrl}}/oauth2/jwks"}
        """;

    public static Task<HttpResponseMessage> Json(HttpStatusCode status, string body) =>
        Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        });

    /// <summary>Never answers; ends only when the request is cancelled.</summary>
    public static async Task<HttpResponseMessage> Blackhole(HttpRequestMessage _, CancellationToken ct)
    {
        await Task.Delay(Timeout.Infinite, ct);
        throw new InvalidOperationException("unreachable");
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var path = request.RequestUri!.AbsolutePath;
        Requests.Add(new Seen(request.Method, path, body, request.Headers.Authorization?.ToString(),
            request.Headers.ConnectionClose == true));
        var script = path switch
        {
            _ when path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal) => Discovery, // any portal path
            "/oauth2/token" => TokenEndpoint,
            "/oauth2/userinfo" => Userinfo,
            _ => (_, _) => Json(HttpStatusCode.NotFound, """{"error":"not found"}"""),
        };
        var response = await script(request, ct);
        response.Version = ResponseVersion;
        return response;
    }
}
