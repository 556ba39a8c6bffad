using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Time;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// Issue 10 item 6: policy time never goes back. The engine runs on a HighWaterClock over a wall clock
/// the spec can set back (the scheduler's virtual time plus an offset).
/// </summary>
public sealed class ClockBackSpecs : ObActorsSpec
{
    private readonly SettableClock _wall;

    public ClockBackSpecs()
    {
        _wall = new SettableClock(Time);
        PolicyTime = new HighWaterClock(_wall, cacheDir: null);
    }

    [Fact]
    public void A_lock_stays_in_force_for_its_full_duration_when_the_clock_is_set_back()
    {
        StartOffline();
        Cache("alice", "pw");
        for (var i = 0; i < Settings.OfflineMaxAttempts; i++) Assert.IsType<AuthResult.WrongPassword>(Authenticate("alice", "bad"));
        Assert.Equal(new AuthResult.Locked(30), Authenticate("alice", "pw"));

        _wall.Offset = TimeSpan.FromHours(-1);
        Advance(TimeSpan.FromSeconds(20));
        // Still locked, for what is left of its 30 s (not 1 h more, not over early).
        var locked = Assert.IsType<AuthResult.Locked>(Authenticate("alice", "pw"));
        Assert.InRange(locked.SecondsLeft, 1, 30);
        Assert.Equal(locked, Authenticate("alice", "pw"));
    }

    [Fact]
    public void An_expired_entry_stays_expired_when_the_clock_is_set_back()
    {
        StartOffline();
        Cache("alice", "pw", age: Settings.OfflineCacheTtl + TimeSpan.FromMinutes(1));
        // The mark has seen "now": the entry is expired. The clock goes back two hours.
        _ = PolicyTime!.GetUtcNow();
        _wall.Offset = TimeSpan.FromHours(-2);
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), Authenticate("alice", "pw"));
        Assert.False(Store.Has("alice"));
    }

    /// <summary>The scheduler's time moved by an offset (a wall clock set back).</summary>
    private sealed class SettableClock(TimeProvider inner) : TimeProvider
    {
        public TimeSpan Offset { get; set; }
        public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + Offset;
    }
}
