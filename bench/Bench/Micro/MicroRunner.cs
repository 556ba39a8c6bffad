using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace OpenBastion.Bench.Micro;

/// <summary>
/// <c>micro</c>: BenchmarkDotNet for the in-process pieces, on a short job (in process, 1 warm-up, few
/// iterations) so that the whole suite stays within minutes on a loaded 2-core machine. GitHub-flavoured
/// markdown reports land in --artifacts/results.
/// </summary>
internal static class MicroRunner
{
    public static int Run(Options o)
    {
        var artifacts = o.Get("artifacts", "/tmp/obactors-bench/bdn");
        var iterations = o.Int("iterations", 5);
        o.CheckAllUsed();
        var baseJob = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithLaunchCount(1)
            .WithWarmupCount(1)
            .WithIterationCount(iterations);
        // Argon2id: one hash per iteration (≈ 100-300 ms each); the codec and the store: BenchmarkDotNet's pilot decides.
        var hashing = Config(artifacts, baseJob.WithInvocationCount(1).WithUnrollFactor(1).WithId("short-1op"));
        var entries = Config(artifacts, baseJob.WithWarmupCount(2).WithId("short"));
        var summaries = new[]
        {
            BenchmarkRunner.Run<VerifierBenchmarks>(hashing),
            BenchmarkRunner.Run<EntryBenchmarks>(entries),
        };
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static IConfig Config(string artifacts, Job job) =>
        ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(ConsoleLogger.Default)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithArtifactsPath(artifacts)
            .WithSummaryStyle(BenchmarkDotNet.Reports.SummaryStyle.Default.WithMaxParameterColumnWidth(40))
            .WithOptions(ConfigOptions.JoinSummary | ConfigOptions.DisableLogFile);
}
