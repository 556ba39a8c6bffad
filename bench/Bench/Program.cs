using OpenBastion.Bench;
using OpenBastion.Bench.Load;
using OpenBastion.Bench.Micro;
using OpenBastion.Bench.Report;
using OpenBastion.Bench.Scenarios;

// Benchmarks behind DESIGN §4. Run: dotnet run -c Release --project bench/Bench -- <command>; the whole
// suite (a portal, a daemon, every scenario, docs/BENCHMARKS.md): bench/run.sh.
var command = args.Length > 0 ? args[0] : "help";
var rest = args.Skip(1).ToArray();
try
{
    return command switch
    {
        "verifiers" => VerifierBench.Run(rest),
        "micro" => MicroRunner.Run(new Options(rest)),
        "argon2" => Argon2Reference.Run(new Options(rest)),
        "load" => await LoadDriver.RunAsync(new Options(rest, "password-is-user", "interleave-engine", "series")),
        "fill" => CacheFiller.Run(new Options(rest)),
        "ceiling" => HashingCeiling.Run(new Options(rest)),
        "start" => DaemonLauncher.Run(rest),
        "wait-online" => await WaitOnline.RunAsync(new Options(rest)),
        "online" => await OnlineComparison.RunAsync(new Options(rest)),
        "report" => ReportWriter.Run(new Options(rest)),
        _ => Usage(command == "help" ? 0 : 2),
    };
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"bench {command}: {e.Message}");
    return 2;
}

static int Usage(int code)
{
    Console.Error.WriteLine(
        $"""
        usage: Bench COMMAND [OPTIONS]   (figures go to stdout, and with --results FILE [--label L] to FILE as L.key=value)
          verifiers [--runs N]      median Argon2id verification per implementation vs the argon2 CLI
          micro [--iterations 5]    BenchmarkDotNet (short job): verifiers, entry codec, store
          argon2 [--rounds 9]       scenario 1: engine vs argon2 CLI (start-up subtracted), allocation per hash
          ceiling [--threads N] [--rounds 12]  in-process verifications per second with N threads at once
          {LoadDriver.Usage.Trim()}
          fill --config CONF --user-prefix P --count N [--first 0] --password PW   write entries directly (daemon stopped)
          start --socket S --log F --pidfile P [--limit-s 60] -- DAEMON ARGS...     start the daemon, time until the socket accepts
          wait-online --socket S --user U --password PW [--limit-s 90]
          online --socket S --portal URL --client-id ID --client-secret S --user U --password PW [--rounds 30]
          report --results FILE --out docs/BENCHMARKS.md [--bdn DIR] [--command TEXT]
        """);
    return code;
}
