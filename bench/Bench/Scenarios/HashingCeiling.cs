using System.Diagnostics;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench.Scenarios;

/// <summary>
/// <c>ceiling</c> (scenario 6's second reference): what this machine can verify per second in-process with
/// W threads verifying at once (W = the daemon's hashing workers), no daemon, no socket, no file. On a VM
/// two Argon2id hashes at once share memory bandwidth and caches, so W ÷ (one verification alone) is a
/// ceiling the machine itself does not reach; this figure is the one it does reach.
/// </summary>
internal static class HashingCeiling
{
    public static int Run(Options o)
    {
        var threads = o.Int("threads", Environment.ProcessorCount);
        var perThread = o.Int("rounds", 12);
        var results = Results.From(o);
        o.CheckAllUsed();
        var verifier = new PasswordVerifier();
        using var password = Secret.FromString("correct horse battery staple");
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(password, Argon2Parameters.Default);
        var entry = new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = Argon2Parameters.Default };

        // One alone (median of 5), then W at once: both in the same minute.
        var alone = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            if (!verifier.Verify(password, entry)) throw new InvalidOperationException("verification failed");
            alone.Add(sw.Elapsed.TotalMilliseconds);
        }
        var wall = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < perThread; i++)
                if (!verifier.Verify(password, entry)) throw new InvalidOperationException("verification failed");
        })).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => t.Join());
        var perSecond = threads * perThread / wall.Elapsed.TotalSeconds;
        var single = new Stats(alone).Median;
        Console.WriteLine($"ceiling: {threads} threads × {perThread} verifications: {perSecond:0.00}/s; one alone {single:0.0} ms → {threads} ÷ that = {threads / (single / 1000):0.00}/s");
        results.Put("threads", threads);
        results.Put("per_s", perSecond);
        results.Put("alone_ms", single);
        return 0;
    }
}
