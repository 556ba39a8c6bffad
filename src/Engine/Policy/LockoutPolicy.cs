using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Policy;

/// <summary>
/// Exponential offline lockout (DESIGN §3.2). After the n-th consecutive failure with n ≥ max attempts
/// the entry is locked for min(initial × multiplier^(n − max attempts), max). Pure: time is passed in.
/// </summary>
public sealed class LockoutPolicy(int maxAttempts, TimeSpan initial, double multiplier, TimeSpan max)
{
    public static LockoutPolicy From(EngineSettings s) =>
        new(s.OfflineMaxAttempts, s.OfflineLockoutInitial, s.OfflineLockoutMultiplier, s.OfflineLockoutMax);

    public int MaxAttempts { get; } = maxAttempts;

    /// <summary>How long the entry is locked after <paramref name="consecutiveFailures"/> failures; null when not locked.</summary>
    public TimeSpan? LockDurationAfter(int consecutiveFailures)
    {
        if (consecutiveFailures < MaxAttempts) return null;
        var exponent = consecutiveFailures - MaxAttempts;
        var seconds = initial.TotalSeconds * Math.Pow(multiplier, exponent);
        if (double.IsNaN(seconds) || double.IsInfinity(seconds) || seconds >= max.TotalSeconds) return max;
        return TimeSpan.FromSeconds(Math.Ceiling(seconds));
    }

    /// <summary>Seconds of lock left at <paramref name="now"/>; zero when not locked.</summary>
    public static long SecondsLeft(CredentialEntry entry, DateTimeOffset now)
    {
        var left = entry.LockedUntil - now.ToUnixTimeSeconds();
        return left > 0 ? left : 0;
    }

    public static bool IsLocked(CredentialEntry entry, DateTimeOffset now) => SecondsLeft(entry, now) > 0;

    /// <summary>The entry after one more failed offline verification.</summary>
    public CredentialEntry RecordFailure(CredentialEntry entry, DateTimeOffset now)
    {
        var failures = entry.FailedAttempts + 1;
        var lockFor = LockDurationAfter(failures);
        return entry with
        {
            FailedAttempts = failures,
            LockedUntil = lockFor is { } d ? now.ToUnixTimeSeconds() + (long)d.TotalSeconds : entry.LockedUntil,
        };
    }

    /// <summary>The entry after a success (online or offline): counter and lock cleared.</summary>
    public static CredentialEntry RecordSuccess(CredentialEntry entry, DateTimeOffset now) =>
        entry with { FailedAttempts = 0, LockedUntil = 0, LastSuccess = now.ToUnixTimeSeconds() };

    /// <summary>The entry with its lockout cleared by an operator (failures reset, not a login).</summary>
    public static CredentialEntry Unlock(CredentialEntry entry) => entry with { FailedAttempts = 0, LockedUntil = 0 };
}
