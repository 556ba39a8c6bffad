using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Online;

namespace OpenBastion.Engine.Tests.Online;

public sealed class LlngClientTests : IDisposable
{
    private const string Password = "Pa55 w0rd&=é!";
    private const string ClientSecret = "cl13nt-s3cr3t/+";

    private static readonly EngineSettings Settings = new()
    {
        PortalUrl = FakePortal.Base + "/",
        ClientId = "bastion",
        ClientSecret = ClientSecret,
        OfflineTimeout = TimeSpan.FromSeconds(5),
        DefaultShell = "/bin/sh",
        DefaultHome = "/home/users/%u",
    };

    private readonly FakePortal _portal = new();
    private readonly FakeTimeProvider _time = new();
    private readonly LlngClient _client;
    private readonly Secret _password = Secret.FromString(Password);

    public LlngClientTests() => _client = new LlngClient(Settings, _portal, _time);

    public void Dispose()
    {
        _client.Dispose();
        _password.Dispose();
    }

    private Task<OnlineOutcome> Login(string user = "dwho") => _client.AuthenticateAsync(user, _password, CancellationToken.None);

    private static string UnavailableReason(OnlineOutcome outcome) =>
        Assert.IsType<OnlineOutcome.Unavailable>(outcome).Reason;

    private static HttpRequestException SocketFailure(SocketError code) =>
        new(HttpRequestError.ConnectionError, "transport failed", new SocketException((int)code));

    // ---------- accepted ----------

    [Fact]
    public async Task A_token_and_full_userinfo_give_the_portal_attributes()
    {
        _portal.Userinfo = (_, _) => FakePortal.Json(HttpStatusCode.OK,
            """{"sub":"dwho","name":"Doctor Who","loginShell":"/usr/bin/zsh","homeDirectory":"/srv/tardis"}""");

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal(new UserAttributes("Doctor Who", "/usr/bin/zsh", "/srv/tardis"), accepted.Attributes);
        Assert.Null(accepted.Note);
    }

    [Fact]
    public async Task The_short_claim_names_shell_and_home_are_understood()
    {
        _portal.Userinfo = (_, _) => FakePortal.Json(HttpStatusCode.OK, """{"name":"Rose","shell":"/bin/fish","home":"/h/rose"}""");

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login("rtyler"));

        Assert.Equal(new UserAttributes("Rose", "/bin/fish", "/h/rose"), accepted.Attributes);
    }

    [Fact]
    public async Task Missing_shell_and_home_claims_fall_back_to_the_configured_defaults()
    {
        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal(new UserAttributes("Doctor Who", "/bin/sh", "/home/users/dwho"), accepted.Attributes);
    }

    [Theory]
    [InlineData("""{"name":"Evil:0:0","loginShell":"bin/sh","homeDirectory":"/x\ny"}""")]
    [InlineData("""{"name":"","loginShell":42,"homeDirectory":null}""")]
    public async Task Claims_that_cannot_sit_in_a_passwd_line_are_replaced_by_defaults(string userinfo)
    {
        _portal.Userinfo = (_, _) => FakePortal.Json(HttpStatusCode.OK, userinfo);

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal(new UserAttributes(null, "/bin/sh", "/home/users/dwho"), accepted.Attributes);
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{}", "500")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_token"}""", "401")]
    [InlineData(HttpStatusCode.OK, "<html>oops", "not valid JSON")]
    public async Task A_failed_userinfo_after_a_token_is_still_accepted_with_defaults(HttpStatusCode status, string body, string noted)
    {
        _portal.Userinfo = (_, _) => FakePortal.Json(status, body);

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal(new UserAttributes(null, "/bin/sh", "/home/users/dwho"), accepted.Attributes);
        Assert.Contains("userinfo", accepted.Note);
        Assert.Contains(noted, accepted.Note);
    }

    [Fact]
    public async Task A_refused_userinfo_after_a_token_is_still_accepted()
    {
        _portal.Userinfo = (_, _) => throw SocketFailure(SocketError.ConnectionRefused);

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal("/home/users/dwho", accepted.Attributes.Home);
        Assert.Contains("connection refused", accepted.Note);
    }

    [Fact]
    public async Task A_userinfo_that_outlives_the_budget_is_accepted_with_defaults()
    {
        _portal.Userinfo = (request, ct) =>
        {
            _time.Advance(Settings.OfflineTimeout);
            return FakePortal.Blackhole(request, ct);
        };

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Null(accepted.Attributes.Gecos);
        Assert.Contains("offline_timeout", accepted.Note);
    }

    [Fact]
    public async Task A_portal_without_userinfo_endpoint_gives_defaults()
    {
        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK, """{"issuer":"http://portal.test","token_endpoint":"http://portal.test/oauth2/token"}""");

        var accepted = Assert.IsType<OnlineOutcome.Accepted>(await Login());

        Assert.Equal(new UserAttributes(null, "/bin/sh", "/home/users/dwho"), accepted.Attributes);
        Assert.Equal(0, _portal.Count("/oauth2/userinfo"));
    }

    // ---------- what goes on the wire ----------

    [Fact]
    public async Task The_token_request_is_a_password_grant_with_client_secret_post_and_the_scope()
    {
        await Login();

        var token = Assert.Single(_portal.Requests, r => r.Path == "/oauth2/token");
        Assert.Equal(HttpMethod.Post, token.Method);
        Assert.Null(token.Authorization); // client_secret_post: no Basic header
        var form = token.Body!.Split('&')
            .Select(pair => pair.Split('='))
            .ToDictionary(kv => WebUtility.UrlDecode(kv[0]), kv => WebUtility.UrlDecode(kv[1]));
        Assert.Equal(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "bastion",
            ["client_secret"] = ClientSecret,
            ["username"] = "dwho",
            ["password"] = Password,
            ["scope"] = "openid profile email",
        }, form);
    }

    [Fact]
    public async Task Without_a_client_secret_no_client_secret_field_is_sent()
    {
        using var portal = new FakePortal();
        using var client = new LlngClient(Settings with { ClientSecret = null }, portal, _time);

        await client.AuthenticateAsync("dwho", _password, CancellationToken.None);

        var body = Assert.Single(portal.Requests, r => r.Path == "/oauth2/token").Body!;
        Assert.DoesNotContain("client_secret", body);
        Assert.Contains("client_id=bastion", body);
    }

    [Theory]
    [InlineData("http://portal.test", "http://portal.test/.well-known/openid-configuration")]
    [InlineData("http://portal.test/", "http://portal.test/.well-known/openid-configuration")]
    [InlineData("https://sso.example.org/lemon", "https://sso.example.org/lemon/.well-known/openid-configuration")]
    [InlineData("https://sso.example.org:8443/lemon/", "https://sso.example.org:8443/lemon/.well-known/openid-configuration")]
    public void The_discovery_document_lives_under_the_portal_url(string portalUrl, string expected)
    {
        using var client = new LlngClient(Settings with { PortalUrl = portalUrl }, new FakePortal());

        Assert.Equal(new Uri(expected), client.DiscoveryUri);
    }

    [Fact]
    public async Task Userinfo_is_asked_with_the_issued_token_as_bearer()
    {
        await Login();

        var userinfo = Assert.Single(_portal.Requests, r => r.Path == "/oauth2/userinfo");
        Assert.Equal(HttpMethod.Get, userinfo.Method);
        Assert.Equal("Bearer " + FakePortal.Token, userinfo.Authorization);
    }

    [Fact]
    public async Task The_discovery_document_is_fetched_once_and_reused()
    {
        await Login();
        await Login("rtyler");
        await Login("msmith");

        Assert.Equal(1, _portal.Count("/.well-known/openid-configuration"));
        Assert.Equal(3, _portal.Count("/oauth2/token"));
    }

    [Fact]
    public async Task The_endpoints_come_from_the_discovery_document()
    {
        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK,
            """{"issuer":"http://portal.test","token_endpoint":"http://portal.test/custom/token","userinfo_endpoint":"http://portal.test/oauth2/userinfo"}""");

        var outcome = await Login();

        Assert.IsType<OnlineOutcome.Unavailable>(outcome); // the fake serves 404 there: it was asked
        Assert.Single(_portal.Requests, r => r.Path == "/custom/token");
    }

    [Fact]
    public async Task Connections_are_not_reused_until_the_portal_shows_http11_keep_alive()
    {
        await Login();
        await Login();

        var closes = _portal.Requests.Select(r => r.ConnectionClose).ToArray();
        Assert.True(closes[0]);                     // first contact: nothing known yet
        Assert.All(closes[1..], Assert.False);      // HTTP/1.1 without "Connection: close" seen since
    }

    [Fact]
    public async Task A_portal_answering_http10_gets_one_connection_per_request()
    {
        _portal.ResponseVersion = HttpVersion.Version10;

        await Login();
        await Login();

        Assert.Equal(5, _portal.Requests.Count);
        Assert.All(_portal.Requests, r => Assert.True(r.ConnectionClose));
    }

    [Fact]
    public async Task A_portal_that_answers_connection_close_stops_connection_reuse()
    {
        await Login();
        _portal.Userinfo = (_, _) =>
        {
            var answer = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"name":"Doctor Who"}""") };
            answer.Headers.ConnectionClose = true;
            return Task.FromResult(answer);
        };
        await Login();
        await Login();

        Assert.Equal([true, false, false, false, false, true, false], _portal.Requests.Select(r => r.ConnectionClose));
    }

    // ---------- rejected ----------

    [Fact]
    public async Task Invalid_grant_is_a_rejection()
    {
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""");

        var rejected = Assert.IsType<OnlineOutcome.Rejected>(await Login());

        Assert.Equal("invalid_grant", rejected.Reason);
        Assert.Equal(0, _portal.Count("/oauth2/userinfo"));
    }

    // Issue 10: an answer in which the portal judged the request is never an outage. LLNG 2.16 answers
    // 400 invalid_request for a Perl-false password ("" or "0"); before, that counted as Unavailable and
    // let any client push the whole daemon offline.
    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_request","error_description":"Missing parameter"}""", "invalid_request")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_client"}""", "invalid_client")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_client"}""", "invalid_client")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"unauthorized_client"}""", "unauthorized_client")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"unsupported_grant_type"}""", "unsupported_grant_type")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"invalid_scope"}""", "invalid_scope")]
    [InlineData(HttpStatusCode.Forbidden, """{"error":"access_denied"}""", "access_denied")]
    [InlineData(HttpStatusCode.Unauthorized, """{"error":"invalid_grant"}""", "invalid_grant")]
    [InlineData(HttpStatusCode.TooManyRequests, """{"error":"slow_down"}""", "slow_down")]
    public async Task A_4xx_with_an_oauth2_error_is_a_rejection_not_an_outage(HttpStatusCode status, string body, string code)
    {
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(status, body);

        var rejected = Assert.IsType<OnlineOutcome.Rejected>(await Login());

        Assert.Equal(code, rejected.Reason);
        Assert.Equal(code == "invalid_grant", rejected.JudgedPassword);
        Assert.Equal(code is "invalid_client" or "unauthorized_client", rejected.ClientRefused);
        Assert.Equal(0, _portal.Count("/oauth2/userinfo"));
    }

    [Fact]
    public async Task A_refused_request_keeps_the_cached_discovery_document()
    {
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.BadRequest, """{"error":"invalid_request"}""");

        await Login();
        await Login();

        Assert.Equal(1, _portal.Count("/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task A_rejection_keeps_the_cached_discovery_document()
    {
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.BadRequest, """{"error":"invalid_grant"}""");

        await Login();
        await Login();

        Assert.Equal(1, _portal.Count("/.well-known/openid-configuration"));
    }

    // ---------- unavailable ----------

    [Fact]
    public async Task A_refused_connection_is_unavailable()
    {
        _portal.Discovery = (_, _) => throw SocketFailure(SocketError.ConnectionRefused);

        var reason = UnavailableReason(await Login());

        Assert.Contains("connection refused", reason);
        Assert.Contains("portal.test", reason);
    }

    [Theory]
    [InlineData(SocketError.HostNotFound, "DNS")]
    [InlineData(SocketError.NetworkUnreachable, "unreachable")]
    [InlineData(SocketError.ConnectionReset, "reset")]
    public async Task Other_socket_failures_are_unavailable(SocketError code, string expected)
    {
        _portal.TokenEndpoint = (_, _) => throw SocketFailure(code);

        Assert.Contains(expected, UnavailableReason(await Login()));
    }

    [Fact]
    public async Task A_tls_failure_is_unavailable()
    {
        _portal.Discovery = (_, _) => throw new HttpRequestException(HttpRequestError.SecureConnectionError,
            "The SSL connection could not be established", new System.Security.Authentication.AuthenticationException("bad cert"));

        Assert.Contains("TLS", UnavailableReason(await Login()));
    }

    [Fact]
    public async Task A_portal_that_never_answers_is_unavailable_after_offline_timeout()
    {
        _portal.TokenEndpoint = (request, ct) =>
        {
            _time.Advance(Settings.OfflineTimeout);
            return FakePortal.Blackhole(request, ct);
        };

        var reason = UnavailableReason(await Login());

        Assert.Contains("token endpoint", reason);
        Assert.Contains("offline_timeout 5 s", reason);
    }

    [Fact]
    public async Task The_timeout_covers_discovery_and_token_together()
    {
        // discovery answers after 3 s, the token endpoint would answer after 3 s more: 6 s > 5 s budget
        _portal.Discovery = (_, _) =>
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            return FakePortal.Json(HttpStatusCode.OK, FakePortal.DiscoveryDocument());
        };
        _portal.TokenEndpoint = async (_, ct) =>
        {
            _time.Advance(TimeSpan.FromSeconds(3));
            ct.ThrowIfCancellationRequested();
            return await FakePortal.Json(HttpStatusCode.OK, $$"""{"access_token":"{{FakePortal.Token}}"}""");
        };

        Assert.Contains("offline_timeout", UnavailableReason(await Login()));
    }

    [Fact]
    public async Task Within_the_budget_slow_answers_are_fine()
    {
        _portal.Discovery = (_, _) =>
        {
            _time.Advance(TimeSpan.FromSeconds(2));
            return FakePortal.Json(HttpStatusCode.OK, FakePortal.DiscoveryDocument());
        };
        _portal.TokenEndpoint = async (_, ct) =>
        {
            _time.Advance(TimeSpan.FromSeconds(2.9));
            ct.ThrowIfCancellationRequested();
            return await FakePortal.Json(HttpStatusCode.OK, $$"""{"access_token":"{{FakePortal.Token}}"}""");
        };

        Assert.IsType<OnlineOutcome.Accepted>(await Login());
    }

    [Fact]
    public async Task The_callers_cancellation_throws_instead_of_reporting_an_outage()
    {
        using var cts = new CancellationTokenSource();
        _portal.TokenEndpoint = (request, ct) =>
        {
            cts.Cancel();
            return FakePortal.Blackhole(request, ct);
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _client.AuthenticateAsync("dwho", _password, cts.Token));
    }

    [Theory]
    [InlineData(HttpStatusCode.InternalServerError, "{}", "500")]
    [InlineData(HttpStatusCode.BadGateway, "<html>proxy</html>", "502")]
    [InlineData(HttpStatusCode.ServiceUnavailable, "", "503")]
    [InlineData(HttpStatusCode.BadRequest, "not json", "400")]
    [InlineData(HttpStatusCode.BadRequest, "<html><body>Bad Request</body></html>", "400")]
    [InlineData(HttpStatusCode.Forbidden, "", "403")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":42}""", "400")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":"Not An OAuth2 Code!"}""", "400")]
    [InlineData(HttpStatusCode.BadRequest, """["invalid_grant"]""", "400")]
    [InlineData(HttpStatusCode.Found, "", "302")]
    [InlineData(HttpStatusCode.Found, """{"error":"invalid_grant"}""", "302")]
    [InlineData(HttpStatusCode.InternalServerError, """{"error":"invalid_grant"}""", "500")]
    [InlineData(HttpStatusCode.ServiceUnavailable, """{"error":"temporarily_unavailable"}""", "503")]
    [InlineData(HttpStatusCode.Created, """{"error":"invalid_grant"}""", "201")]
    [InlineData(HttpStatusCode.OK, "<html>login page</html>", "unparsable")]
    [InlineData(HttpStatusCode.OK, """{"token_type":"Bearer"}""", "access_token")]
    [InlineData(HttpStatusCode.OK, """{"access_token":""}""", "access_token")]
    [InlineData(HttpStatusCode.OK, "[1,2]", "unparsable")]
    [InlineData(HttpStatusCode.OK, """{"access_token":"abc\r\nX-Injected: 1"}""", "access_token")]
    [InlineData(HttpStatusCode.OK, """{"access_token":42}""", "access_token")]
    public async Task Token_answers_the_portal_did_not_judge_are_unavailable(HttpStatusCode status, string body, string expected)
    {
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(status, body);

        var reason = UnavailableReason(await Login());

        Assert.Contains(expected, reason);
        Assert.Equal(0, _portal.Count("/oauth2/userinfo"));
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, "{}", "404")]
    [InlineData(HttpStatusCode.InternalServerError, "{}", "500")]
    [InlineData(HttpStatusCode.OK, "{not json", "not valid JSON")]
    [InlineData(HttpStatusCode.OK, "\"text\"", "not a JSON object")]
    [InlineData(HttpStatusCode.OK, """{"issuer":"x"}""", "token_endpoint")]
    [InlineData(HttpStatusCode.OK, """{"token_endpoint":"ftp://portal.test/t"}""", "token_endpoint")]
    public async Task A_bad_discovery_document_is_unavailable_and_not_cached(HttpStatusCode status, string body, string expected)
    {
        _portal.Discovery = (_, _) => FakePortal.Json(status, body);

        var reason = UnavailableReason(await Login());
        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK, FakePortal.DiscoveryDocument());
        var next = await Login();

        Assert.Contains("discovery", reason);
        Assert.Contains(expected, reason);
        Assert.Equal(1, _portal.Count("/oauth2/token")); // only the second login reached the token endpoint
        Assert.IsType<OnlineOutcome.Accepted>(next);
    }

    // Issue 10 §7: IdentityModel's discovery policy. The issuer must be the portal; the endpoints that
    // receive the password and the token must be on the portal's origin.
    [Theory]
    [InlineData("""{"token_endpoint":"http://portal.test/oauth2/token"}""", "issuer")]
    [InlineData("""{"issuer":42,"token_endpoint":"http://portal.test/oauth2/token"}""", "issuer")]
    [InlineData("""{"issuer":"http://evil.test","token_endpoint":"http://portal.test/oauth2/token"}""", "issuer http://evil.test:80")]
    [InlineData("""{"issuer":"https://portal.test","token_endpoint":"http://portal.test/oauth2/token"}""", "issuer")]
    [InlineData("""{"issuer":"http://portal.test:8080","token_endpoint":"http://portal.test/oauth2/token"}""", "issuer")]
    [InlineData("""{"issuer":"http://portal.test/other","token_endpoint":"http://portal.test/oauth2/token"}""", "issuer")]
    [InlineData("""{"issuer":"http://portal.test","token_endpoint":"http://evil.test/oauth2/token"}""", "token endpoint on http://evil.test:80")]
    [InlineData("""{"issuer":"http://portal.test","token_endpoint":"http://portal.test:81/oauth2/token"}""", "token endpoint")]
    [InlineData("""{"issuer":"http://portal.test","token_endpoint":"https://portal.test/oauth2/token"}""", "token endpoint")]
    [InlineData("""{"issuer":"http://portal.test","token_endpoint":"http://portal.test/oauth2/token","userinfo_endpoint":"http://evil.test/oauth2/userinfo"}""", "userinfo endpoint")]
    [InlineData("""{"issuer":"http://portal.test","token_endpoint":"http://portal.test/oauth2/token","userinfo_endpoint":"not a url"}""", "userinfo_endpoint")]
    public async Task A_discovery_document_failing_the_issuer_or_origin_policy_is_unavailable(string document, string expected)
    {
        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK, document);

        var reason = UnavailableReason(await Login());

        Assert.Contains("discovery", reason);
        Assert.Contains(expected, reason);
        Assert.Equal(0, _portal.Count("/oauth2/token"));
        Assert.False(await _client.ProbeAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("http://portal.test", "http://portal.test/")]
    [InlineData("http://portal.test/", "http://portal.test")]
    [InlineData("http://portal.test/", "HTTP://PORTAL.TEST:80")]
    [InlineData("https://sso.example.org/lemon", "https://sso.example.org:443/lemon/")]
    [InlineData("https://sso.example.org/lemon/", "https://sso.example.org/lemon")]
    public async Task The_issuer_matches_the_portal_url_whatever_its_trailing_slash_case_or_default_port(string portalUrl, string issuer)
    {
        using var portal = new FakePortal();
        var origin = new Uri(portalUrl).GetLeftPart(UriPartial.Authority);
        portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK,
            $$"""{"issuer":"{{issuer}}","token_endpoint":"{{origin}}/oauth2/token","userinfo_endpoint":"{{origin}}/oauth2/userinfo"}""");
        using var client = new LlngClient(Settings with { PortalUrl = portalUrl }, portal, _time);

        Assert.True(await client.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_outage_forgets_the_discovery_document_so_it_is_fetched_again()
    {
        await Login();
        _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.ServiceUnavailable, "");
        await Login();
        await Login();

        // first login fetches it; the 503 forgets it; the third login fetches it again
        Assert.Equal(2, _portal.Count("/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task An_unexpected_fault_in_the_http_stack_is_unavailable_not_an_exception()
    {
        _portal.TokenEndpoint = (_, _) => throw new InvalidOperationException("echo " + Password);

        var reason = UnavailableReason(await Login());

        Assert.Contains("unexpected InvalidOperationException", reason);
        Assert.DoesNotContain(Password, reason);
    }

    [Fact]
    public async Task An_https_portal_refuses_a_discovery_document_pointing_to_plain_http()
    {
        using var portal = new FakePortal();
        portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK, FakePortal.DiscoveryDocument("http://portal.test"));
        using var client = new LlngClient(Settings with { PortalUrl = "https://portal.test" }, portal, _time);

        var reason = UnavailableReason(await client.AuthenticateAsync("dwho", _password, CancellationToken.None));

        Assert.Contains("plain HTTP", reason);
        Assert.Equal(0, portal.Count("/oauth2/token"));
    }

    [Fact]
    public void A_portal_url_is_required()
    {
        Assert.Throws<ArgumentException>(() => new LlngClient(Settings with { PortalUrl = null }, new FakePortal()));
        Assert.Throws<ArgumentException>(() => new LlngClient(Settings with { PortalUrl = "portal.test" }, new FakePortal()));
        Assert.Throws<ArgumentException>(() => new LlngClient(Settings with { ClientId = "" }, new FakePortal()));
    }

    // ---------- probe ----------

    [Fact]
    public async Task The_probe_is_true_on_a_good_discovery_document()
    {
        Assert.True(await _client.ProbeAsync(CancellationToken.None));
        Assert.Equal(HttpMethod.Get, Assert.Single(_portal.Requests).Method);
    }

    [Fact]
    public async Task A_successful_probe_primes_the_discovery_cache()
    {
        await _client.ProbeAsync(CancellationToken.None);
        await Login();

        Assert.Equal(1, _portal.Count("/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task The_probe_is_false_on_errors_garbage_refusal_and_silence()
    {
        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.InternalServerError, "{}");
        Assert.False(await _client.ProbeAsync(CancellationToken.None));

        _portal.Discovery = (_, _) => FakePortal.Json(HttpStatusCode.OK, "<html>");
        Assert.False(await _client.ProbeAsync(CancellationToken.None));

        _portal.Discovery = (_, _) => throw SocketFailure(SocketError.ConnectionRefused);
        Assert.False(await _client.ProbeAsync(CancellationToken.None));

        _portal.Discovery = (request, ct) =>
        {
            _time.Advance(Settings.OfflineTimeout);
            return FakePortal.Blackhole(request, ct);
        };
        Assert.False(await _client.ProbeAsync(CancellationToken.None));
    }

    // ---------- secrets never leak ----------

    public static TheoryData<string> Failures() => ["refused", "timeout", "5xx", "invalid_client", "echo", "garbage", "userinfo"];

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task No_reason_note_or_text_carries_the_password_the_client_secret_or_the_token(string failure)
    {
        // a hostile or chatty portal echoes everything it was sent
        var echo = $$"""{"error":"invalid_request","error_description":"{{Password}} {{ClientSecret}} {{FakePortal.Token}}"}""";
        switch (failure)
        {
            case "refused": _portal.TokenEndpoint = (_, _) => throw SocketFailure(SocketError.ConnectionRefused); break;
            case "timeout":
                _portal.TokenEndpoint = (request, ct) => { _time.Advance(Settings.OfflineTimeout); return FakePortal.Blackhole(request, ct); };
                break;
            case "5xx": _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.InternalServerError, echo); break;
            case "invalid_client": _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.Unauthorized, echo.Replace("invalid_request", "invalid_client")); break;
            case "echo": _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.BadRequest, echo); break;
            case "garbage": _portal.TokenEndpoint = (_, _) => FakePortal.Json(HttpStatusCode.OK, Password + ClientSecret); break;
            case "userinfo": _portal.Userinfo = (_, _) => FakePortal.Json(HttpStatusCode.BadRequest, echo); break;
        }

        var outcome = await Login();

        var texts = new[]
        {
            outcome.ToString(),
            (outcome as OnlineOutcome.Unavailable)?.Reason ?? "",
            (outcome as OnlineOutcome.Accepted)?.Note ?? "",
            _client.ToString(),
        };
        foreach (var text in texts)
        {
            Assert.DoesNotContain(Password, text);
            Assert.DoesNotContain("Pa55", text);
            Assert.DoesNotContain(ClientSecret, text);
            Assert.DoesNotContain("cl13nt", text);
            Assert.DoesNotContain(FakePortal.Token, text);
        }
    }
}
