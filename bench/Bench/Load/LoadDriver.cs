using System.Diagnostics;
using System.Globalization;
using OpenBastion.Engine;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench.Load;

/// <summary>
/// <c>load</c>: N concurrent connections sending R requests in total to a running daemon; latency histogram,
/// throughput, lost/timed-out count, the daemon's peak RSS (VmHWM). Sequential runs (--concurrency 1) may
/// interleave an in-process engine verification after each request (--interleave-engine), so that the
/// socket figure and its reference see the same machine load.
/// </summary>
internal static class LoadDriver
{
    public const string Usage =
        """
        load --socket PATH (--user U | --users U1,U2 | --user-prefix P --user-count N) [--password PW | --password-is-user]
             [--concurrency 1] [--requests 1] [--timeout-ms 30000] [--client-timeout-s 600] [--pid DAEMON_PID]
             [--expect STATUS] [--interleave-engine] [--series] [--spacing-ms 0]
             [--warmup 0 [--warmup-user U --warmup-password PW --warmup-expect STATUS]] [--then SHELL_COMMAND]
             [--label L] [--results FILE]
        """;

    public static async Task<int> RunAsync(Options o)
    {
        var socket = o.Require("socket");
        var users = Users(o);
        var password = o.Get("password");
        var passwordIsUser = o.Flag("password-is-user");
        if (password is null && !passwordIsUser) throw new ArgumentException("--password or --password-is-user");
        var concurrency = o.Int("concurrency", 1);
        var requests = o.Int("requests", 1);
        var timeoutMs = (uint)o.Int("timeout-ms", 30_000);
        var clientTimeout = TimeSpan.FromSeconds(o.Double("client-timeout-s", 600));
        var pid = o.Get("pid") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : (int?)null;
        var expect = o.Get("expect") is { } e ? Enum.Parse<BridgeStatus>(e, ignoreCase: true) : (BridgeStatus?)null;
        var interleave = o.Flag("interleave-engine");
        var series = o.Flag("series");
        var spacing = TimeSpan.FromMilliseconds(o.Int("spacing-ms", 0));
        var warmup = o.Int("warmup", 0);
        var warmupUser = o.Get("warmup-user");
        var warmupPassword = o.Get("warmup-password");
        var warmupExpect = o.Get("warmup-expect") is { } we ? Enum.Parse<BridgeStatus>(we, ignoreCase: true) : expect;
        var then = o.Get("then");
        var results = Results.From(o);
        o.CheckAllUsed();
        if (interleave && concurrency != 1) throw new ArgumentException("--interleave-engine needs --concurrency 1");

        // Warm-up requests, one at a time and not counted: this client is a .NET process, and its own
        // first calls (JIT, then tiered recompilation) would otherwise be measured as the daemon's latency.
        // A --warmup-user (e.g. one the portal rejects) warms the client without touching the measured users.
        for (var i = 0; i < warmup; i++)
        {
            var user = warmupUser ?? users[i % users.Count];
            var pw = warmupUser is not null ? warmupPassword ?? user : passwordIsUser ? user : password!;
            var answer = await BridgeClient.AuthenticateAsync(socket, user, pw, timeoutMs, clientTimeout).ConfigureAwait(false);
            if (answer.Lost || (warmupExpect is not null && answer.Status != warmupExpect))
                throw new InvalidOperationException($"warm-up request {i + 1}: {answer.Outcome}");
        }
        if (warmup > 0) results.Put("warmup", warmup);
        // --then: a change of the world between the warm-up and the measured requests (stop or freeze the portal).
        if (then is not null) RunShell(then);

        var engine = interleave ? new EngineReference() : null;
        var answers = new Answer[requests];
        var engineTimes = new List<double>();
        var next = -1;
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Math.Min(concurrency, requests)).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < requests)
            {
                var user = users[i % users.Count];
                answers[i] = await BridgeClient.AuthenticateAsync(socket, user, passwordIsUser ? user : password!, timeoutMs, clientTimeout)
                    .ConfigureAwait(false);
                if (engine is not null) engineTimes.Add(engine.VerifyOnce());
                if (spacing > TimeSpan.Zero) await Task.Delay(spacing).ConfigureAwait(false);
            }
        })).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var elapsed = wall.Elapsed.TotalSeconds;

        var all = new Stats(answers.Select(a => a.Milliseconds));
        var lost = answers.Count(a => a.Lost);
        var timedOut = answers.Count(a => a.Status == BridgeStatus.TimedOut || a.Failure == "client timeout");
        var unexpected = expect is null ? 0 : answers.Count(a => a.Status != expect);
        Console.WriteLine($"load: {requests} requests, {concurrency} connections, {elapsed:F2} s, {requests / elapsed:F2}/s");
        foreach (var g in answers.GroupBy(a => $"{a.Outcome}{(a.Offline ? " (offline)" : "")}"))
            Console.WriteLine($"  {g.Count(),6}  {g.Key}");
        Histogram(answers.Select(a => a.Milliseconds).ToArray());
        results.Put("requests", requests);
        results.Put("concurrency", concurrency);
        results.Put("wall_s", elapsed);
        results.Put("throughput_per_s", requests / elapsed);
        results.Put("p50_ms", all.Median);
        results.Put("p90_ms", all.Percentile(90));
        results.Put("p99_ms", all.Percentile(99));
        results.Put("max_ms", all.Max);
        results.Put("min_ms", all.Min);
        results.Put("lost", lost);
        results.Put("timed_out", timedOut);
        results.Put("offline_answers", answers.Count(a => a.Offline));
        results.Put("outcomes", string.Join(", ", answers.GroupBy(a => a.Outcome).Select(g => $"{g.Key} {g.Count()}")));
        if (expect is not null) results.Put("unexpected", unexpected);
        if (requests > 1)
        {
            var rest = new Stats(answers.Skip(1).Select(a => a.Milliseconds));
            results.Put("first_ms", answers[0].Milliseconds);
            results.Put("rest_p50_ms", rest.Median);
            results.Put("rest_p99_ms", rest.Percentile(99));
            results.Put("rest_max_ms", rest.Max);
        }
        if (series) results.Put("series", Stats.Series(answers.Select(a => a.Milliseconds)));
        if (engine is not null)
        {
            results.Put("engine_ms", new Stats(engineTimes).Median);
            if (engineTimes.Count > 1) results.Put("rest_engine_p99_ms", new Stats(engineTimes.Skip(1)).Percentile(99));
            // Paired: each login minus the engine verification measured right after it (same machine load).
            var paired = answers.Zip(engineTimes, (a, v) => a.Milliseconds - v).ToList();
            results.Put("paired_p50_ms", new Stats(paired).Median);
            if (paired.Count > 1) results.Put("rest_paired_p99_ms", new Stats(paired.Skip(1)).Percentile(99));
        }
        if (pid is { } daemon)
        {
            if (ProcStatus.MiB(daemon, "VmHWM") is { } hwm) results.Put("peak_rss_mib", hwm);
            if (ProcStatus.MiB(daemon, "VmRSS") is { } rss) results.Put("rss_mib", rss);
        }
        return lost == 0 && unexpected == 0 ? 0 : 1;
    }

    private static void RunShell(string command)
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", command }, UseShellExecute = false })
            ?? throw new InvalidOperationException("cannot start /bin/sh");
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"--then command failed with exit code {process.ExitCode}: {command}");
    }

    private static List<string> Users(Options o)
    {
        if (o.Get("user") is { } one) return [one];
        if (o.Get("users") is { } many) return [.. many.Split(',', StringSplitOptions.RemoveEmptyEntries)];
        var prefix = o.Require("user-prefix");
        var count = o.Int("user-count", 1);
        var first = o.Int("user-first", 0);
        return [.. Enumerable.Range(first, count).Select(i => UserName(prefix, i))];
    }

    public static string UserName(string prefix, int i) => $"{prefix}{i:D6}";

    private static void Histogram(double[] ms)
    {
        double[] bounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 30000, 60000, double.PositiveInfinity];
        var lower = 0.0;
        foreach (var upper in bounds)
        {
            var n = ms.Count(v => v >= lower && v < upper);
            if (n > 0)
                Console.WriteLine($"  [{lower,7:0.#} ms, {(double.IsInfinity(upper) ? "inf" : upper.ToString("0.#", CultureInfo.InvariantCulture)),7} ms) {n,6} {new string('#', Math.Max(1, n * 50 / ms.Length))}");
            lower = upper;
        }
    }

    /// <summary>The engine's own verification with the default parameters, in this process.</summary>
    private sealed class EngineReference
    {
        private readonly PasswordVerifier _verifier = new();
        private readonly Secret _password = Secret.FromString("correct horse battery staple");
        private readonly CredentialEntry _entry;

        public EngineReference()
        {
            var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(_password, Argon2Parameters.Default);
            _entry = new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = Argon2Parameters.Default };
        }

        public double VerifyOnce()
        {
            var sw = Stopwatch.StartNew();
            if (!_verifier.Verify(_password, _entry)) throw new InvalidOperationException("engine verification failed");
            return sw.Elapsed.TotalMilliseconds;
        }
    }
}
