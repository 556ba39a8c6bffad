using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;

namespace OpenBastion.Engine.Policy;

/// <summary>
/// The cached-login decision and its bookkeeping (DESIGN §3.1 steps 5–6, §3.2, §3.3), in two steps around
/// the hash: <see cref="BeforeHashing"/> (expired, locked, or hash) and <see cref="AfterHashing"/> (the new
/// entry, the reply, the log event). Pure: no I/O, no clock (now is a parameter), so that whoever holds an
/// entry (the user actor, a merge of replicas) decides alike. The caller reads, hashes and applies.
/// </summary>
public sealed class OfflineLogin(LockoutPolicy lockout, ExpiryPolicy expiry)
{
    public static OfflineLogin From(EngineSettings s) => new(LockoutPolicy.From(s), ExpiryPolicy.From(s));

    public LockoutPolicy Lockout { get; } = lockout;
    public ExpiryPolicy Expiry { get; } = expiry;

    private static readonly OfflineDecision ExpiredDecision =
        new(new EntryChange.Delete(), new OfflineReply.Expired(), new OfflineEvent.Expired());

    /// <summary>
    /// Before any hashing: an expired entry is deleted ("expired"); a locked one is refused without hashing
    /// and not counted. Null when the password must be hashed: against <paramref name="entry"/>'s verifier,
    /// or, with no entry, a dummy of the same cost (then <see cref="AfterHashing"/> with a null entry).
    /// </summary>
    public OfflineDecision? BeforeHashing(CredentialEntry? entry, DateTimeOffset now)
    {
        if (entry is null) return null;
        if (Expiry.IsExpired(entry, now)) return ExpiredDecision;
        if (!LockoutPolicy.IsLocked(entry, now)) return null;
        var left = LockoutPolicy.SecondsLeft(entry, now);
        return new(new EntryChange.None(), new OfflineReply.Locked(left), new OfflineEvent.Blocked(left)) { KnownLock = Stripped(entry) };
    }

    /// <summary>
    /// After the hash: <paramref name="outcome"/> is the verification of the password against
    /// <paramref name="entry"/> (the entry <see cref="BeforeHashing"/> let through), or the dummy when the
    /// entry is null. Expiry is judged again at <paramref name="now"/>: an entry that expired while it was
    /// hashed is deleted, never revived. A match resets the failures and slides the expiry; a mismatch is
    /// counted and locks when due. A job the gate shed or skipped changes nothing.
    /// </summary>
    public OfflineDecision AfterHashing(CredentialEntry? entry, HashOutcome outcome, DateTimeOffset now)
    {
        if (outcome is HashOutcome.Computed) throw new ArgumentException("a verification answers Checked, not Computed", nameof(outcome));
        if (entry is null)
        {
            return outcome is HashOutcome.Checked
                ? new(new EntryChange.Pad(), new OfflineReply.NotCached(), new OfflineEvent.NotCached())
                : new(new EntryChange.None(), NotHashed(outcome), new OfflineEvent.NotCached());
        }
        if (outcome is not HashOutcome.Checked check) return new(new EntryChange.None(), NotHashed(outcome), null);
        if (Expiry.IsExpired(entry, now)) return ExpiredDecision;
        if (check.Matches)
        {
            var updated = LockoutPolicy.RecordSuccess(entry, now) with { ExpiresAt = Expiry.SlideOnOfflineSuccess(entry, now) };
            var age = TimeSpan.FromSeconds(Math.Max(0, now.ToUnixTimeSeconds() - entry.CreatedAt));
            return new(new EntryChange.Write(updated),
                new OfflineReply.Success(new UserAttributes(entry.Gecos, entry.Shell, entry.Home), age),
                new OfflineEvent.Succeeded(age));
        }
        var failed = Lockout.RecordFailure(entry, now);
        var locked = LockoutPolicy.IsLocked(failed, now);
        return new(new EntryChange.Write(failed), new OfflineReply.WrongPassword(),
            new OfflineEvent.Mismatched(failed.FailedAttempts, Lockout.MaxAttempts, locked ? LockoutPolicy.SecondsLeft(failed, now) : null))
        {
            KnownLock = locked ? Stripped(failed) : null,
        };
    }

    /// <summary>Shed at enqueue: busy; else the deadline passed before a worker took it.</summary>
    private static OfflineReply NotHashed(HashOutcome outcome) =>
        outcome is HashOutcome.Overloaded ? new OfflineReply.Busy() : new OfflineReply.TimedOut();

    /// <summary>What the lock and expiry decisions need of an entry, without its verifier.</summary>
    private static CredentialEntry Stripped(CredentialEntry entry) => entry with { PasswordHash = [], Salt = [] };
}
