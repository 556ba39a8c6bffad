using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Tests.Policy;

public sealed class LockoutPolicyTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_795_356_719));
    private readonly LockoutPolicy _policy = LockoutPolicy.From(EngineSettings.Defaults);

    private static CredentialEntry Entry() => new()
    {
        User = "alice",
        CreatedAt = 1_795_356_000,
        ExpiresAt = 1_795_442_400,
        PasswordHash = new byte[32],
        Salt = new byte[16],
    };

    private DateTimeOffset Now => _time.GetUtcNow();
    private long NowSeconds => Now.ToUnixTimeSeconds();

    [Fact]
    public void The_first_four_failures_count_without_locking()
    {
        var entry = Entry();
        for (var i = 1; i <= 4; i++)
        {
            entry = _policy.RecordFailure(entry, Now);
            Assert.Equal(i, entry.FailedAttempts);
            Assert.Equal(0, entry.LockedUntil);
            Assert.False(LockoutPolicy.IsLocked(entry, Now));
        }
    }

    [Fact]
    public void The_default_ladder_doubles_from_30_seconds_up_to_one_hour()
    {
        long[] expected = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600, 3600];
        var entry = Entry() with { FailedAttempts = 4 };
        var seen = new List<long>();

        foreach (var _ in expected)
        {
            entry = _policy.RecordFailure(entry, Now);
            var lockFor = entry.LockedUntil - NowSeconds;
            seen.Add(lockFor);
            Assert.Equal(lockFor, LockoutPolicy.SecondsLeft(entry, Now));
            // Wait the lock out on virtual time, then fail again.
            _time.Advance(TimeSpan.FromSeconds(lockFor));
            Assert.False(LockoutPolicy.IsLocked(entry, Now));
        }

        Assert.Equal(expected, seen);
        Assert.Equal(14, entry.FailedAttempts);
    }

    [Theory]
    [InlineData(4, null)]
    [InlineData(5, 30)]
    [InlineData(6, 60)]
    [InlineData(11, 1920)]
    [InlineData(12, 3600)]
    [InlineData(1000, 3600)]
    [InlineData(int.MaxValue, 3600)]
    public void Lock_duration_after_n_failures(int failures, int? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, _policy.LockDurationAfter(failures));

    [Fact]
    public void A_success_resets_the_count_and_the_lock()
    {
        var entry = Entry();
        for (var i = 0; i < 6; i++) entry = _policy.RecordFailure(entry, Now);
        Assert.True(LockoutPolicy.IsLocked(entry, Now));

        var reset = LockoutPolicy.RecordSuccess(entry, Now);
        Assert.Equal(0, reset.FailedAttempts);
        Assert.Equal(0, reset.LockedUntil);
        Assert.Equal(NowSeconds, reset.LastSuccess);
        Assert.False(LockoutPolicy.IsLocked(reset, Now));

        // The ladder starts over: four free failures, then 30 s again.
        for (var i = 0; i < 4; i++) reset = _policy.RecordFailure(reset, Now);
        Assert.False(LockoutPolicy.IsLocked(reset, Now));
        reset = _policy.RecordFailure(reset, Now);
        Assert.Equal(30, reset.LockedUntil - NowSeconds);
    }

    [Fact]
    public void Unlock_clears_the_lock_without_counting_as_a_login()
    {
        var entry = Entry() with { FailedAttempts = 7, LockedUntil = NowSeconds + 100, LastSuccess = 5 };
        var unlocked = LockoutPolicy.Unlock(entry);
        Assert.Equal(0, unlocked.FailedAttempts);
        Assert.Equal(0, unlocked.LockedUntil);
        Assert.Equal(5, unlocked.LastSuccess);
    }

    [Fact]
    public void The_lock_holds_until_the_boundary_second_and_ends_on_it()
    {
        var entry = _policy.RecordFailure(Entry() with { FailedAttempts = 4 }, Now);
        var until = entry.LockedUntil;

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(LockoutPolicy.IsLocked(entry, Now));
        Assert.Equal(1, LockoutPolicy.SecondsLeft(entry, Now));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.True(LockoutPolicy.IsLocked(entry, Now));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(until, NowSeconds);
        Assert.False(LockoutPolicy.IsLocked(entry, Now));
        Assert.Equal(0, LockoutPolicy.SecondsLeft(entry, Now));
    }

    [Fact]
    public void Custom_attempts_initial_and_multiplier()
    {
        var policy = new LockoutPolicy(3, TimeSpan.FromSeconds(10), 3.0, TimeSpan.FromSeconds(500));
        Assert.Null(policy.LockDurationAfter(2));
        Assert.Equal(
            [10, 30, 90, 270, 500, 500],
            Enumerable.Range(3, 6).Select(n => (long)policy.LockDurationAfter(n)!.Value.TotalSeconds));
    }

    [Fact]
    public void A_fractional_multiplier_rounds_up_to_whole_seconds()
    {
        var policy = new LockoutPolicy(1, TimeSpan.FromSeconds(1), 1.5, TimeSpan.FromSeconds(3600));
        Assert.Equal(
            [1, 2, 3, 4, 6],
            Enumerable.Range(1, 5).Select(n => (long)policy.LockDurationAfter(n)!.Value.TotalSeconds));
    }

    [Fact]
    public void A_multiplier_of_one_keeps_the_initial_lock()
    {
        var policy = new LockoutPolicy(5, TimeSpan.FromSeconds(30), 1.0, TimeSpan.FromSeconds(3600));
        Assert.All(Enumerable.Range(5, 50), n => Assert.Equal(TimeSpan.FromSeconds(30), policy.LockDurationAfter(n)));
    }

    [Fact]
    public void From_settings_uses_the_configured_values()
    {
        var settings = EngineSettings.Defaults with
        {
            OfflineMaxAttempts = 2,
            OfflineLockoutInitial = TimeSpan.FromSeconds(5),
            OfflineLockoutMultiplier = 4.0,
            OfflineLockoutMax = TimeSpan.FromSeconds(60),
        };
        var policy = LockoutPolicy.From(settings);
        Assert.Equal(2, policy.MaxAttempts);
        Assert.Equal([5, 20, 60], Enumerable.Range(2, 3).Select(n => (long)policy.LockDurationAfter(n)!.Value.TotalSeconds));
    }
}
