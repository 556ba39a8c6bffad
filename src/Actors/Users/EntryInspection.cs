using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

/// <summary>Turns a read into the facts <c>ob-cache-admin show</c> prints (never the verifier).</summary>
internal static class EntryInspection
{
    public static EntryInfo Describe(string user, ReadOutcome outcome, ExpiryPolicy expiry, DateTimeOffset now)
    {
        switch (outcome)
        {
            case ReadOutcome.Found { Entry: var e }:
                var status = expiry.IsExpired(e, now) ? EntryStatus.Expired
                    : LockoutPolicy.IsLocked(e, now) ? EntryStatus.Locked
                    : EntryStatus.Active;
                return new EntryInfo(user, true, status,
                    Time(e.CreatedAt), Time(Math.Min(e.ExpiresAt, e.CreatedAt + (long)expiry.MaxTtl.TotalSeconds)),
                    e.LastSuccess > 0 ? Time(e.LastSuccess) : null,
                    e.FailedAttempts, e.LockedUntil > 0 ? Time(e.LockedUntil) : null,
                    e.Gecos, e.Shell, e.Home, e.EffectiveParameters.ToString());
            case ReadOutcome.Unreadable:
                return new EntryInfo(user, true, EntryStatus.Unreadable, null, null, null, 0, null, null, null, null, null);
            default:
                return new EntryInfo(user, false, EntryStatus.None, null, null, null, 0, null, null, null, null, null);
        }
    }

    private static DateTimeOffset Time(long unixSeconds) => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
}
