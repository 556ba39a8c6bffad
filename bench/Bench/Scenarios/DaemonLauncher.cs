using System.Diagnostics;
using System.Globalization;
using OpenBastion.Bench.Load;

namespace OpenBastion.Bench.Scenarios;

/// <summary>
/// <c>start</c>: launches the daemon (through /bin/sh, output appended to --log) and measures its start-up:
/// the time from the spawn until its socket accepts a connection. The daemon keeps running after this
/// command exits; its PID is written to --pidfile.
/// </summary>
internal static class DaemonLauncher
{
    public static int Run(string[] args)
    {
        var split = Array.IndexOf(args, "--");
        if (split < 0) throw new ArgumentException("start ... -- DAEMON COMMAND");
        var o = new Options(args[..split]);
        var socket = o.Require("socket");
        var log = o.Require("log");
        var pidFile = o.Require("pidfile");
        var limit = TimeSpan.FromSeconds(o.Double("limit-s", 60));
        var results = Results.From(o);
        o.CheckAllUsed();

        File.Delete(socket);
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$@\" >>\"$OBBENCH_LOG\" 2>&1 </dev/null");
        psi.ArgumentList.Add("obactors");
        foreach (var a in args[(split + 1)..]) psi.ArgumentList.Add(a);
        psi.Environment["OBBENCH_LOG"] = log;
        var sw = Stopwatch.StartNew();
        using var daemon = Process.Start(psi)!;
        File.WriteAllText(pidFile, daemon.Id.ToString(CultureInfo.InvariantCulture) + "\n");
        while (!BridgeClient.Accepts(socket))
        {
            if (daemon.HasExited)
            {
                Console.Error.WriteLine($"start: the daemon exited ({daemon.ExitCode}) before its socket accepted; see {log}");
                return 1;
            }
            if (sw.Elapsed > limit)
            {
                Console.Error.WriteLine($"start: no socket after {limit.TotalSeconds} s; see {log}");
                return 1;
            }
            Thread.Sleep(2);
        }
        var ms = sw.Elapsed.TotalMilliseconds;
        Console.WriteLine($"start: daemon pid {daemon.Id}, socket accepts after {ms:F0} ms");
        results.Put("startup_ms", ms);
        results.Put("startup_rss_mib", ProcStatus.MiB(daemon.Id, "VmRSS") ?? double.NaN);
        return 0;
    }
}
