using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Maintenance;

/// <summary>An entry's state as an operator sees it: expiry is judged before the lock.</summary>
public enum EntryStatus
{
    /// <summary>No entry.</summary>
    None,
    Active,
    Locked,
    Expired,
    Unreadable,
}

/// <summary>
/// The facts <c>show</c> and <c>list</c> print of one entry, never its verifier or salt. Times in Unix seconds;
/// <see cref="ExpiresAt"/> is the effective expiry min(expires_at, created_at + max TTL).
/// </summary>
public sealed record EntryDescription(
    EntryStatus Status,
    string? User,
    long? CreatedAt,
    long? ExpiresAt,
    long? LastSuccess,
    int Failures,
    long? LockedUntil,
    long LockSecondsLeft,
    string? Gecos,
    string? Shell,
    string? Home,
    string? Parameters,
    ReadFailure? Failure)
{
    public bool Found => Status != EntryStatus.None;

    public static readonly EntryDescription Missing = new(EntryStatus.None, null, null, null, null, 0, null, 0, null, null, null, null, null);

    /// <summary>The status ladder: expired, else locked, else active.</summary>
    public static EntryStatus StatusOf(CredentialEntry entry, ExpiryPolicy expiry, DateTimeOffset now) =>
        expiry.IsExpired(entry, now) ? EntryStatus.Expired
        : LockoutPolicy.IsLocked(entry, now) ? EntryStatus.Locked
        : EntryStatus.Active;

    /// <summary>The effective expiry: the sliding TTL capped by the absolute maximum age.</summary>
    public static long EffectiveExpiry(CredentialEntry entry, ExpiryPolicy expiry) =>
        Math.Min(entry.ExpiresAt, entry.CreatedAt + (long)expiry.MaxTtl.TotalSeconds);

    public static EntryDescription Of(ReadOutcome outcome, ExpiryPolicy expiry, DateTimeOffset now) => outcome switch
    {
        ReadOutcome.Found { Entry: var e } => new EntryDescription(StatusOf(e, expiry, now), e.User, e.CreatedAt,
            EffectiveExpiry(e, expiry), e.LastSuccess > 0 ? e.LastSuccess : null, e.FailedAttempts,
            e.LockedUntil > 0 ? e.LockedUntil : null, LockoutPolicy.SecondsLeft(e, now),
            e.Gecos, e.Shell, e.Home, e.EffectiveParameters.ToString(), null),
        ReadOutcome.Unreadable u => Missing with { Status = EntryStatus.Unreadable, Failure = u.Failure },
        _ => Missing,
    };
}
