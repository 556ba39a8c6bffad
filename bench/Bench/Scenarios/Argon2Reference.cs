using System.Diagnostics;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench.Scenarios;

/// <summary>
/// <c>argon2</c> (scenario 1): the engine's verification with the default parameters beside Debian's
/// <c>argon2</c> CLI with the same m, t, p. Rounds interleave engine, CLI and a trivial CLI run (m=8 KiB,
/// t=1, p=1: the CLI's process start, subtracted), so all three see the same machine load.
/// </summary>
internal static class Argon2Reference
{
    public static int Run(Options o)
    {
        var rounds = o.Int("rounds", 9);
        var results = Results.From(o);
        o.CheckAllUsed();
        var parameters = Argon2Parameters.Default;
        var verifier = new PasswordVerifier();
        using var password = Secret.FromString("correct horse battery staple");
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(password, parameters); // warm-up
        var entry = new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = parameters };
        verifier.Verify(password, entry);

        var engine = new List<double>();
        var cpu = new List<double>();
        var allocThread = new List<long>();
        var allocTotal = new List<long>();
        var cli = new List<double>();
        var start = new List<double>();
        var self = Process.GetCurrentProcess();
        for (var i = 0; i < rounds; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var thread0 = GC.GetAllocatedBytesForCurrentThread();
            var total0 = GC.GetTotalAllocatedBytes(precise: true);
            self.Refresh();
            var cpu0 = self.TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            if (!verifier.Verify(password, entry)) throw new InvalidOperationException("verification failed");
            engine.Add(sw.Elapsed.TotalMilliseconds);
            self.Refresh();
            cpu.Add((self.TotalProcessorTime - cpu0).TotalMilliseconds);
            allocThread.Add(GC.GetAllocatedBytesForCurrentThread() - thread0);
            allocTotal.Add(GC.GetTotalAllocatedBytes(precise: true) - total0);

            if (Cli(parameters) is not { } full || Cli(new Argon2Parameters(8, 1, 1)) is not { } trivial)
            {
                results.Put("cli_missing", "the argon2 CLI is not installed (apt-get install argon2)");
                cli.Clear();
                break;
            }
            cli.Add(full);
            start.Add(trivial);
        }

        results.Put("parameters", parameters.ToString());
        results.Put("engine_impl", Argon2HasherSelector.Default.VerifierFor(parameters, Argon2Parameters.SaltLength, Argon2Parameters.HashLength).GetType().Name);
        results.Put("engine_ms", new Stats(engine).Median);
        results.Put("engine_min_ms", new Stats(engine).Min);
        results.Put("engine_cpu_ms", new Stats(cpu).Median);
        results.Put("alloc_thread_mib", new Stats(allocThread.Select(b => b / 1048576.0)).Median);
        results.Put("alloc_total_mib", new Stats(allocTotal.Select(b => b / 1048576.0)).Median);
        if (cli.Count > 0)
        {
            var net = cli.Zip(start, (c, s) => c - s).ToList();
            results.Put("cli_ms", new Stats(cli).Median);
            results.Put("cli_start_ms", new Stats(start).Median);
            results.Put("cli_net_ms", new Stats(net).Median);
        }
        results.Put("rounds", rounds);
        return 0;
    }

    /// <summary>Wall time of one CLI hash (process start included), or null when the CLI is missing.</summary>
    private static double? Cli(Argon2Parameters p)
    {
        var psi = new ProcessStartInfo("argon2") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "somesalt16bytes!", "-id", "-t", $"{p.Iterations}", "-k", $"{p.MemoryKiB}", "-p", $"{p.Parallelism}", "-l", "32", "-r" })
            psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
        using (process)
        {
            process.StandardInput.Write("correct horse battery staple");
            process.StandardInput.Close();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return sw.Elapsed.TotalMilliseconds;
        }
    }
}
