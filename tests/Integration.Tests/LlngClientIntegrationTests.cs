using System.Diagnostics;
using OpenBastion.Engine;
using OpenBastion.Engine.Online;
using Xunit.Abstractions;

namespace OpenBastion.Integration.Tests;

/// <summary>The LLNG client against a real LemonLDAP::NG 2.16 portal on loopback.</summary>
[Collection(LlngPortalCollection.Name)]
public sealed class LlngClientIntegrationTests(LlngPortal portal, ITestOutputHelper output)
{
    private async Task<OnlineOutcome> Login(LlngClient client, string user, string password)
    {
        using var secret = Secret.FromString(password);
        return await client.AuthenticateAsync(user, secret, CancellationToken.None);
    }

    /// <summary>Like Assert.IsType, but a failure shows the outcome (and so its reason).</summary>
    private static T Is<T>(OnlineOutcome outcome) where T : OnlineOutcome =>
        outcome as T ?? throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {outcome}");

    [Fact]
    public async Task A_known_user_with_the_right_password_is_accepted_with_the_portal_gecos()
    {
        using var client = new LlngClient(portal.Settings);

        var accepted = Is<OnlineOutcome.Accepted>(await Login(client, "dwho", "dwho"));

        Assert.Equal(new UserAttributes("Doctor Who", "/bin/bash", "/home/dwho"), accepted.Attributes);
        Assert.Null(accepted.Note);
    }

    [Fact]
    public async Task A_wrong_password_is_rejected()
    {
        using var client = new LlngClient(portal.Settings);

        var rejected = Is<OnlineOutcome.Rejected>(await Login(client, "dwho", "wrong"));

        Assert.Equal("invalid_grant", rejected.Reason);
    }

    [Fact]
    public async Task An_unknown_user_is_rejected()
    {
        using var client = new LlngClient(portal.Settings);

        Is<OnlineOutcome.Rejected>(await Login(client, "nobody-here", "whatever"));
    }

    [Fact]
    public async Task A_wrong_client_secret_is_a_refused_request_not_an_outage()
    {
        // Issue 10: the portal answered (401 invalid_client); that is never an outage.
        using var client = new LlngClient(portal.Settings with { ClientSecret = "not-the-secret" });

        var rejected = Is<OnlineOutcome.Rejected>(await Login(client, "dwho", "dwho"));

        Assert.Equal("invalid_client", rejected.Reason);
        Assert.True(rejected.ClientRefused);
        Assert.DoesNotContain("not-the-secret", rejected.ToString());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("")]
    public async Task A_perl_false_password_is_a_refused_request_not_an_outage(string password)
    {
        // Issue 10: LLNG 2.16 answers 400 invalid_request for a Perl-false password; before, that was
        // Unavailable and any client could push the daemon offline with it.
        using var client = new LlngClient(portal.Settings);

        var rejected = Is<OnlineOutcome.Rejected>(await Login(client, "dwho", password));

        output.WriteLine($"password \"{password}\": {rejected}");
        Assert.True(await client.ProbeAsync(CancellationToken.None)); // and the portal is still up
    }

    [Fact]
    public async Task The_real_portals_discovery_document_passes_the_issuer_and_origin_checks()
    {
        using var client = new LlngClient(portal.Settings);
        Assert.True(await client.ProbeAsync(CancellationToken.None));
        using var trailing = new LlngClient(portal.Settings with { PortalUrl = portal.Url.TrimEnd('/') });
        Assert.True(await trailing.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_frozen_portal_is_unavailable_after_offline_timeout_and_recovers_when_thawed()
    {
        using var client = new LlngClient(portal.Settings);
        Is<OnlineOutcome.Accepted>(await Login(client, "dwho", "dwho")); // discovery cached

        await portal.FreezeAsync();
        OnlineOutcome frozen;
        bool probe;
        var clock = Stopwatch.StartNew();
        try
        {
            frozen = await Login(client, "dwho", "dwho");
            probe = await client.ProbeAsync(CancellationToken.None);
        }
        finally
        {
            await portal.ThawAsync();
        }
        clock.Stop();

        var reason = Is<OnlineOutcome.Unavailable>(frozen).Reason;
        Assert.Contains("offline_timeout", reason);
        Assert.False(probe);
        // bounded: one offline_timeout (2 s) for the login and one for the probe, plus generous slack
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Is<OnlineOutcome.Accepted>(await Login(client, "dwho", "dwho"));
    }

    [Fact]
    public async Task A_stopped_portal_is_unavailable_connection_refused_and_recovers_when_restarted()
    {
        using var client = new LlngClient(portal.Settings);
        Is<OnlineOutcome.Accepted>(await Login(client, "rtyler", "rtyler"));

        await portal.StopAsync();
        OnlineOutcome stopped;
        bool probe;
        try
        {
            stopped = await Login(client, "rtyler", "rtyler");
            probe = await client.ProbeAsync(CancellationToken.None);
        }
        finally
        {
            await portal.StartAsync();
        }

        Assert.Contains("connection refused", Is<OnlineOutcome.Unavailable>(stopped).Reason);
        Assert.False(probe);
        Assert.True(await client.ProbeAsync(CancellationToken.None));
        Is<OnlineOutcome.Accepted>(await Login(client, "rtyler", "rtyler"));
    }

    [Fact]
    public async Task A_password_changed_upstream_rejects_the_old_one_and_accepts_the_new_one()
    {
        using var client = new LlngClient(portal.Settings);
        Is<OnlineOutcome.Accepted>(await Login(client, "msmith", "msmith"));

        await portal.SetPasswordAsync("msmith", "n3w-Secret");
        try
        {
            Is<OnlineOutcome.Rejected>(await Login(client, "msmith", "msmith"));
            var accepted = Is<OnlineOutcome.Accepted>(await Login(client, "msmith", "n3w-Secret"));
            Assert.Equal("Mickey Smith", accepted.Attributes.Gecos);
        }
        finally
        {
            await portal.SetPasswordAsync("msmith", "msmith");
        }
    }

    [Fact]
    public async Task The_probe_is_true_while_the_portal_answers()
    {
        using var client = new LlngClient(portal.Settings);

        Assert.True(await client.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Alternating_right_and_wrong_passwords_never_look_like_an_outage()
    {
        // regression: pooled connections after plackup's HTTP/1.0 answers were reset a third of the time
        using var client = new LlngClient(portal.Settings);

        for (var i = 0; i < 30; i++)
        {
            var right = i % 2 == 0;
            var outcome = await Login(client, "dwho", right ? "dwho" : "wrong");
            if (right) Is<OnlineOutcome.Accepted>(outcome);
            else Is<OnlineOutcome.Rejected>(outcome);
        }
    }

    [Fact]
    public async Task Twenty_consecutive_grants_all_succeed_and_their_median_time_is_reported()
    {
        using var client = new LlngClient(portal.Settings);
        using var raw = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.Zero });
        for (var i = 0; i < 5; i++)
        {
            Is<OnlineOutcome.Accepted>(await Login(client, "dwho", "dwho")); // warm-up: JIT, portal modules, discovery
            await RawExchange(raw);
        }

        // interleaved, so that load on the machine hits both alike
        var engine = new List<double>();
        var baseline = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var clock = Stopwatch.StartNew();
            var outcome = await Login(client, "dwho", "dwho");
            engine.Add(clock.Elapsed.TotalMilliseconds);
            Is<OnlineOutcome.Accepted>(outcome);

            clock.Restart();
            await RawExchange(raw);
            baseline.Add(clock.Elapsed.TotalMilliseconds);
        }

        output.WriteLine($"LlngClient password grant + userinfo on loopback, 20 calls: median {Median(engine):0.0} ms " +
                         $"(min {engine.Min():0.0}, max {engine.Max():0.0}); bare HTTP token + userinfo: median {Median(baseline):0.0} ms");
    }

    /// <summary>The same two requests with nothing around them: the portal's own answer time.</summary>
    private async Task RawExchange(HttpClient raw)
    {
        var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["client_id"] = LlngPortal.ClientId, ["client_secret"] = LlngPortal.ClientSecret,
            ["username"] = "dwho", ["password"] = "dwho", ["scope"] = "openid profile email",
        });
        using var token = await raw.PostAsync(portal.Url + "oauth2/token", form);
        using var doc = System.Text.Json.JsonDocument.Parse(await token.Content.ReadAsStringAsync());
        using var userinfo = new HttpRequestMessage(HttpMethod.Get, portal.Url + "oauth2/userinfo");
        userinfo.Headers.Authorization = new("Bearer", doc.RootElement.GetProperty("access_token").GetString());
        using var answer = await raw.SendAsync(userinfo);
        Assert.Equal(System.Net.HttpStatusCode.OK, answer.StatusCode);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
