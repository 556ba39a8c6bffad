using OpenBastion.Host.Native;

namespace OpenBastion.Host.Tests;

/// <summary>The daemon is not dumpable (issue 10 item 7): no core holds the cache key or a password.</summary>
public sealed class ProcessHardeningTests
{
    [Fact]
    public async Task Starting_the_daemon_makes_the_process_non_dumpable()
    {
        // In-process, as Main does: RunAsync hardens the process before it reads anything.
        var code = await Program.RunAsync(["--help"], TextWriter.Null, TextWriter.Null);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(0, ProcessHardening.Dumpable);
    }

    [Fact]
    public void The_unit_forbids_core_files_and_restarts_after_a_lock_timeout()
    {
        var unit = File.ReadAllLines(Path.Combine(RepositoryRoot(), "deploy", "obactors.service"));
        Assert.Contains("LimitCORE=0", unit);
        var prevent = Assert.Single(unit, l => l.StartsWith("RestartPreventExitStatus=", StringComparison.Ordinal));
        var codes = prevent["RestartPreventExitStatus=".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("78", codes);
        Assert.DoesNotContain("75", codes);
        Assert.Contains("Restart=on-failure", unit);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OpenBastion.Actors.sln"))) return dir.FullName;
        throw new InvalidOperationException("repository root not found");
    }
}
