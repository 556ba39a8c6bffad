using OpenBastion.Engine.Time;
using OpenBastion.Engine.Tests.Cache;

namespace OpenBastion.Engine.Tests.Time;

/// <summary>Issue 10 item 6: policy time never goes back, across restarts too.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class HighWaterClockTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TempCacheDirectory _tmp = new();
    private readonly WallClock _wall = new(T0);

    public HighWaterClockTests() => Directory.CreateDirectory(_tmp.CacheDir);

    public void Dispose() => _tmp.Dispose();

    [Fact]
    public void Follows_the_clock_forward_and_holds_its_mark_when_the_clock_goes_back()
    {
        var clock = new HighWaterClock(_wall, cacheDir: null);
        Assert.Equal(T0, clock.GetUtcNow());
        _wall.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(T0.AddMinutes(5), clock.GetUtcNow());

        _wall.SetUtcNow(T0.AddHours(-3));
        Assert.Equal(T0.AddMinutes(5), clock.GetUtcNow());
        Assert.Equal(TimeSpan.FromMinutes(185), clock.Lag);

        _wall.SetUtcNow(T0.AddMinutes(6));
        Assert.Equal(T0.AddMinutes(6), clock.GetUtcNow());
        Assert.Equal(TimeSpan.Zero, clock.Lag);
    }

    [Fact]
    public void A_restart_with_the_clock_behind_the_persisted_mark_resumes_from_the_mark()
    {
        var first = new HighWaterClock(_wall, _tmp.CacheDir);
        _wall.Advance(TimeSpan.FromHours(2));
        first.Persist();
        var file = Path.Combine(_tmp.CacheDir, HighWaterClock.FileName);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        _wall.SetUtcNow(T0.AddDays(-1));
        var second = new HighWaterClock(_wall, _tmp.CacheDir);
        Assert.Equal(T0.AddHours(2), second.PersistedMark);
        Assert.Equal(T0.AddHours(2), second.GetUtcNow());
    }

    [Fact]
    public void A_floor_seen_elsewhere_raises_the_mark_at_start()
    {
        _wall.SetUtcNow(T0.AddDays(-10));
        var clock = new HighWaterClock(_wall, _tmp.CacheDir, floor: T0);
        Assert.Equal(T0, clock.GetUtcNow());
    }

    [Fact]
    public void A_damaged_mark_file_is_refused_not_ignored()
    {
        File.WriteAllBytes(Path.Combine(_tmp.CacheDir, HighWaterClock.FileName), [1, 2, 3]);
        Assert.Throws<OpenBastion.Engine.Cache.CredentialStoreException>(() => new HighWaterClock(_wall, _tmp.CacheDir));
    }

    /// <summary>A wall clock that can be set back (FakeTimeProvider refuses to).</summary>
    private sealed class WallClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;
        public void SetUtcNow(DateTimeOffset value) => _now = value;
        public void Advance(TimeSpan by) => _now += by;
        public override DateTimeOffset GetUtcNow() => _now;
    }
}
