using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Time;
using OpenBastion.Host.Hosting;

namespace OpenBastion.Host.Tests;

/// <summary>Issue 10 items 4 and 6 in the daemon's composition: key check at start, the high-water clock.</summary>
public sealed class DaemonRuntimeKeyAndClockTests
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 4, 5, 6, 7, TimeSpan.Zero);

    [Fact]
    public void The_daemon_s_policy_clock_is_a_persisted_high_water_mark_that_survives_a_restart_with_the_clock_set_back()
    {
        using var dir = new DaemonDirectory();
        var wall = new WallClock(T0);
        using (var first = DaemonRuntime.Open(dir.LoadSettings(), wall, new ScriptedPortal().Knows("a", "b")))
        {
            Assert.IsType<HighWaterClock>(first.Services.TimeProvider);
            wall.Now = T0.AddHours(1);
            Assert.Equal(T0.AddHours(1), first.Services.TimeProvider.GetUtcNow());
        } // persisted at dispose (the upkeep also persists every minute and at stop)

        wall.Now = T0.AddDays(-2);
        using var second = DaemonRuntime.Open(dir.LoadSettings(), wall, new ScriptedPortal().Knows("a", "b"));
        Assert.Equal(T0.AddHours(1), second.Services.TimeProvider.GetUtcNow());
        Assert.True(second.Clock.Lag > TimeSpan.FromDays(2));
    }

    [Fact]
    public void The_first_start_writes_the_key_check_marker_and_a_changed_key_file_freezes_the_cache()
    {
        using var dir = new DaemonDirectory();
        using (var first = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b")))
        {
            Assert.Equal(KeyCheckOutcome.MarkerWritten, first.KeyCheck.Outcome);
            Assert.False(first.Guard.Frozen);
            Assert.True(File.Exists(Path.Combine(dir.CacheDir, CacheKeyCheck.FileName)));
            first.Store.Write(AnEntry());
        }
        var keyFile = dir.LoadSettings().OfflineCacheKeyFile;
        var original = File.ReadAllBytes(keyFile);
        File.Delete(keyFile);
        using (var changed = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b")))
        {
            Assert.Equal(KeyCheckOutcome.Mismatch, changed.KeyCheck.Outcome);
            Assert.True(changed.Guard.Frozen);
            Assert.True(changed.Services.Guard.Frozen);
        }
        File.WriteAllBytes(keyFile, original);
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        using var restored = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b"));
        Assert.Equal(KeyCheckOutcome.Matched, restored.KeyCheck.Outcome);
        Assert.False(restored.Guard.Frozen);
    }

    [Fact]
    public async Task A_frozen_cache_is_logged_at_error_level_at_start()
    {
        using var dir = new DaemonDirectory();
        using (var first = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b"))) first.Store.Write(AnEntry());
        File.WriteAllBytes(Path.Combine(dir.CacheDir, CacheKeyCheck.FileName), new byte[32]);
        var logs = new CapturedLogs();
        using var runtime = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b"));
        using var host = Program.BuildHost(new DaemonArguments(), runtime, ObActorsConfig.Default, l => l.AddProvider(logs));
        await host.StartAsync();
        await host.StopAsync();
        Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("OFFLINE CACHE FROZEN", StringComparison.Ordinal)
            && l.Message.Contains("rekey --from-key-file", StringComparison.Ordinal));
    }

    private static CredentialEntry AnEntry() => new()
    {
        User = "dwho",
        CreatedAt = 1_900_000_000,
        ExpiresAt = 1_900_086_400,
        PasswordHash = new byte[32],
        Salt = new byte[16],
    };

    private sealed class WallClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
