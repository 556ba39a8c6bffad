using OpenBastion.Admin.Tests.Support;
using OpenBastion.Engine.Cache;
using Xunit.Abstractions;

namespace OpenBastion.Admin.Tests;

/// <summary>list and stats on a cache with an active, a locked, an expired and an unreadable entry, both paths.</summary>
public sealed class ListAndStatsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task List_directly_shows_every_entry_with_its_status_and_the_totals()
    {
        _sandbox.SeedMixed();
        var run = await _sandbox.RunAsync("list");
        output.WriteLine("$ ob-cache-admin list   (daemon stopped)\n" + run.Out);
        Assert.Equal(0, run.Code);
        AssertMixedRows(run.Out);
    }

    [Fact]
    public async Task List_through_the_daemon_shows_the_same_rows()
    {
        _sandbox.SeedMixed();
        await using var daemon = await TestDaemon.StartAsync(_sandbox);
        var run = await _sandbox.RunAsync("list");
        output.WriteLine("$ ob-cache-admin list   (daemon running)\n" + run.Out);
        Assert.Equal(0, run.Code);
        AssertMixedRows(run.Out);
        Assert.Contains(_sandbox.Logs.Lines, l => l.Contains("admin request List", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Quiet_list_is_one_tab_separated_row_per_entry(bool throughDaemon)
    {
        _sandbox.SeedMixed();
        await using var daemon = throughDaemon ? await TestDaemon.StartAsync(_sandbox) : null;
        var run = await _sandbox.RunAsync("-q", "list");
        Assert.Equal(0, run.Code);
        var now = AdminSandbox.Start;
        Assert.Equal(
        [
            $"alice\tACTIVE\t{now.AddHours(23).ToUnixTimeSeconds()}\t0\t0",
            $"bob\tLOCKED\t{now.AddHours(22).ToUnixTimeSeconds()}\t3\t120",
            $"carol\tEXPIRED\t{now.AddDays(-1).ToUnixTimeSeconds()}\t0\t0",
            $"{CacheFileName.KeyFor("mallory")}\tUNREADABLE\t-\t-\t-",
        ], run.Out.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Stats_directly_counts_each_status_and_says_the_daemon_was_not_used()
    {
        _sandbox.SeedMixed();
        var run = await _sandbox.RunAsync("stats");
        output.WriteLine("$ ob-cache-admin stats   (daemon stopped)\n" + run.Out);
        Assert.Equal(0, run.Code);
        AssertMixedStats(run.Out);
        Assert.Contains("Daemon:            not used (cache read directly, no counters)", run.Out);
    }

    [Fact]
    public async Task Stats_through_the_daemon_adds_its_counters_and_connectivity()
    {
        _sandbox.SeedMixed();
        await using var daemon = await TestDaemon.StartAsync(_sandbox);
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        // One offline login refused by the lockout, and one successful, counted by the daemon.
        Assert.Equal(1, (await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n")).Code);
        Assert.Equal(0, (await _sandbox.RunAsync(["auth", "alice"], "pw-alice\n")).Code);

        var run = await _sandbox.RunAsync("stats");
        output.WriteLine("$ ob-cache-admin stats   (daemon running)\n" + run.Out);
        Assert.Equal(0, run.Code);
        AssertMixedStats(run.Out);
        Assert.Contains("Daemon:            running", run.Out);
        Assert.Matches(@"Connectivity:\s+offline \(forced by ob-cache-admin \(pid \d+\)\)", run.Out);
        Assert.Contains("Offline auths:     2 (1 successful)", run.Out);
        Assert.Contains("Lockout refusals:  1", run.Out);

        var quiet = await _sandbox.RunAsync("-q", "stats");
        Assert.Contains("entries=4\n", quiet.Out);
        Assert.Contains("connectivity=offline\n", quiet.Out);
        Assert.Contains("lockouts=1\n", quiet.Out);
    }

    private static void AssertMixedRows(string text)
    {
        var lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Matches(@"^USER\s+STATUS\s+EXPIRES\s+FAILURES\s+LOCK REMAINING$", lines[0]);
        Assert.Matches(@"^alice\s+ACTIVE\s+2026-01-16 09:00:00Z\s+0\s+-$", lines[1]);
        Assert.Matches(@"^bob\s+LOCKED\s+2026-01-16 08:00:00Z\s+3\s+2m00s$", lines[2]);
        Assert.Matches(@"^carol\s+EXPIRED\s+2026-01-14 10:00:00Z\s+0\s+-$", lines[3]);
        Assert.Matches($@"^\({CacheFileName.KeyFor("mallory")}\)\s+UNREADABLE\s+-\s+-\s+-$", lines[4]);
        Assert.Equal("4 entries: 1 active, 1 locked, 1 expired, 1 unreadable", lines[5]);
        Assert.DoesNotContain("mallory", text);
    }

    private static void AssertMixedStats(string text)
    {
        Assert.Matches(@"Cache directory:\s+/.*/cache\n", text);
        Assert.Contains("Entries:           4\n", text);
        Assert.Contains("  active:          1\n", text);
        Assert.Contains("  locked:          1\n", text);
        Assert.Contains("  expired:         1\n", text);
        Assert.Contains("  unreadable:      1\n", text);
        Assert.Matches(@"Disk usage:\s+[\d.]+ (B|KiB) in 4 files\n", text);
        Assert.Contains("Oldest entry:      2026-01-12 10:00:00Z\n", text);
        Assert.Contains("Newest entry:      2026-01-15 09:00:00Z\n", text);
    }
}
