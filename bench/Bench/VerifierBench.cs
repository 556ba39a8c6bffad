using System.Diagnostics;
using System.Globalization;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench;

/// <summary>
/// Median of N verifications (default 7) per implementation, after one warm-up, on the parameters the
/// daemon uses: defaults (m=64 MiB, t=3, p=4) and the Open Bastion 0.6 legacy ones (p=1). The engine
/// checks every verifier with libsodium; Konscious is shown for comparison (it computes new p=4 verifiers).
/// </summary>
internal static class VerifierBench
{
    public static int Run(string[] args)
    {
        var runs = args is ["--runs", var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 7;
        Console.WriteLine($"Argon2id verification, median of {runs} (after 1 warm-up), {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        var cases = new (string Name, IPasswordHasher Hasher, Argon2Parameters Parameters)[]
        {
            ("libsodium", SodiumArgon2Hasher.Instance, Argon2Parameters.Default),
            ("konscious", KonsciousArgon2Hasher.Instance, Argon2Parameters.Default),
            ("konscious", KonsciousArgon2Hasher.Instance, Argon2Parameters.Legacy),
            ("libsodium", SodiumArgon2Hasher.Instance, Argon2Parameters.Legacy),
        };
        var results = new Dictionary<string, double>();
        foreach (var (name, hasher, parameters) in cases)
        {
            var (median, min, max, cpu, alloc) = Verify(hasher, parameters, runs);
            results[$"{name} {parameters}"] = median;
            Console.WriteLine($"  {name,-10} {parameters,-20} median {median,7:F1} ms   min {min,7:F1}   max {max,7:F1}   cpu {cpu,7:F1} ms/hash   managed alloc {alloc / 1048576.0,6:F1} MiB/hash");
        }
        var engineFor = new Dictionary<Argon2Parameters, double>
        {
            [Argon2Parameters.Default] = results[$"libsodium {Argon2Parameters.Default}"],
            [Argon2Parameters.Legacy] = results[$"libsodium {Argon2Parameters.Legacy}"],
        };
        foreach (var parameters in new[] { Argon2Parameters.Default, Argon2Parameters.Legacy })
        {
            if (ReferenceCli(parameters, runs) is not { } cli)
            {
                Console.WriteLine("  argon2 CLI not found (apt-get install argon2): no native comparison");
                break;
            }
            Console.WriteLine($"  {"argon2 CLI",-10} {parameters,-20} median {cli,7:F1} ms   (process start included)   engine/CLI = {engineFor[parameters] / cli:F2}");
        }
        Console.WriteLine($"  konscious/libsodium at p=1: {results[$"konscious {Argon2Parameters.Legacy}"] / results[$"libsodium {Argon2Parameters.Legacy}"]:F2}");
        return 0;
    }

    private static (double Median, double Min, double Max, double CpuPerHash, long AllocPerHash) Verify(IPasswordHasher hasher, Argon2Parameters parameters, int runs)
    {
        var verifier = new PasswordVerifier(hasher);
        using var password = Secret.FromString("correct horse battery staple");
        // Created by the engine (libsodium cannot compute p > 1), checked by the implementation measured.
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(password, parameters);
        var entry = new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = parameters };
        var times = new double[runs];
        verifier.Verify(password, new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = parameters }); // warm-up
        GC.Collect();
        var allocBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            if (!verifier.Verify(password, entry)) throw new InvalidOperationException("verification failed");
            times[i] = sw.Elapsed.TotalMilliseconds;
        }
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds / runs;
        var alloc = (GC.GetTotalAllocatedBytes(precise: true) - allocBefore) / runs;
        Array.Sort(times);
        return (times[runs / 2], times[0], times[^1], cpu, alloc);
    }

    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (IOException) { return "?"; }
    }

    private static double? ReferenceCli(Argon2Parameters parameters, int runs)
    {
        var times = new List<double>();
        for (var i = 0; i <= runs; i++)
        {
            var psi = new ProcessStartInfo("argon2")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            foreach (var a in new[] { "somesalt16bytes!", "-id", "-t", $"{parameters.Iterations}", "-k", $"{parameters.MemoryKiB}", "-p", $"{parameters.Parallelism}", "-l", "32", "-r" })
                psi.ArgumentList.Add(a);
            var sw = Stopwatch.StartNew();
            Process p;
            try
            {
                p = Process.Start(psi)!;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return null;
            }
            using (p)
            {
                p.StandardInput.Write("correct horse battery staple");
                p.StandardInput.Close();
                p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                if (i > 0) times.Add(sw.Elapsed.TotalMilliseconds); // run 0 is the warm-up
            }
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
