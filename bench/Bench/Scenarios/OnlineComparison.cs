using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenBastion.Bench.Load;
using OpenBastion.Wire;

namespace OpenBastion.Bench.Scenarios;

/// <summary>
/// <c>online</c> (scenario 5): rounds alternate the portal's own answer to the same exchange the daemon makes
/// (password grant with client_secret_post and scope "openid profile email", then userinfo; discovery cached;
/// a new connection per request, as the daemon's LlngClient does against plackup's HTTP/1.0 server) and an online login through the daemon's socket. A pause after each round
/// lets the daemon's verifier refresh (an Argon2id hash, off the critical path) finish before the next
/// measurement, so that the two series do not fight for the two cores: with --cache-dir the pause lasts
/// until the user's entry file has been rewritten (bounded), else --pause-ms. Without that wait the next
/// login of the same user queues behind the refresh (by design: "before this user's next request").
/// </summary>
internal static class OnlineComparison
{
    public static async Task<int> RunAsync(Options o)
    {
        var socket = o.Require("socket");
        var portal = o.Require("portal").TrimEnd('/');
        var clientId = o.Require("client-id");
        var clientSecret = o.Require("client-secret");
        var user = o.Require("user");
        var password = o.Require("password");
        var rounds = o.Int("rounds", 30);
        var pause = TimeSpan.FromMilliseconds(o.Int("pause-ms", 700));
        var entryFile = o.Get("cache-dir") is { } dir ? Path.Combine(dir, OpenBastion.Engine.Cache.CacheFileName.FileName(user)) : null;
        var results = Results.From(o);
        o.CheckAllUsed();

        // No pooling, "Connection: close": LLNG under plackup answers HTTP/1.0 and closes; a pooled connection would
        // race that close (the daemon's LlngClient does the same for the same reason).
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.Zero, AllowAutoRedirect = false });
        http.DefaultRequestHeaders.ConnectionClose = true;
        using var discovery = JsonDocument.Parse(await http.GetStringAsync($"{portal}/.well-known/openid-configuration"));
        var tokenEndpoint = discovery.RootElement.GetProperty("token_endpoint").GetString()!;
        var userinfoEndpoint = discovery.RootElement.GetProperty("userinfo_endpoint").GetString()!;

        var direct = new List<double>();
        var tokenOnly = new List<double>();
        var daemon = new List<double>();
        var failures = 0;
        var refreshWaits = new List<double>();
        for (var i = 0; i <= rounds; i++) // round 0 warms both paths up and is not counted
        {
            var sw = Stopwatch.StartNew();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["client_id"] = clientId, ["client_secret"] = clientSecret,
                ["username"] = user, ["password"] = password, ["scope"] = "openid profile email",
            });
            using var tokenResponse = await http.PostAsync(tokenEndpoint, form);
            var body = await tokenResponse.Content.ReadAsStringAsync();
            var tokenMs = sw.Elapsed.TotalMilliseconds;
            if (!tokenResponse.IsSuccessStatusCode) throw new InvalidOperationException($"the portal refused the direct grant ({(int)tokenResponse.StatusCode})");
            using var token = JsonDocument.Parse(body);
            using var userinfo = new HttpRequestMessage(HttpMethod.Get, userinfoEndpoint);
            userinfo.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.RootElement.GetProperty("access_token").GetString());
            using var userinfoResponse = await http.SendAsync(userinfo);
            await userinfoResponse.Content.ReadAsStringAsync();
            var directMs = sw.Elapsed.TotalMilliseconds;

            var written = entryFile is null ? default : File.GetLastWriteTimeUtc(entryFile);
            var answer = await BridgeClient.AuthenticateAsync(socket, user, password, 10_000, TimeSpan.FromSeconds(30));
            if (answer is not { Status: BridgeStatus.Success, Offline: false }) failures++;
            if (i > 0)
            {
                direct.Add(directMs);
                tokenOnly.Add(tokenMs);
                daemon.Add(answer.Milliseconds);
            }
            if (entryFile is not null)
            {
                var waited = Stopwatch.StartNew();
                while (File.GetLastWriteTimeUtc(entryFile) == written && waited.Elapsed < TimeSpan.FromSeconds(15))
                    await Task.Delay(20);
                refreshWaits.Add(waited.Elapsed.TotalMilliseconds);
                await Task.Delay(100);
            }
            else
            {
                await Task.Delay(pause);
            }
        }
        var d = new Stats(daemon);
        var p = new Stats(direct);
        results.Put("rounds", rounds);
        results.Put("daemon_p50_ms", d.Median);
        results.Put("daemon_p90_ms", d.Percentile(90));
        results.Put("portal_p50_ms", p.Median);
        results.Put("portal_token_p50_ms", new Stats(tokenOnly).Median);
        results.Put("overhead_ms", d.Median - p.Median);
        results.Put("not_online_success", failures);
        if (refreshWaits.Count > 0) results.Put("refresh_wait_p50_ms", new Stats(refreshWaits).Median);
        return failures == 0 ? 0 : 1;
    }
}
