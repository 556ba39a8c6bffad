using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Online;

namespace OpenBastion.Engine.Policy;

/// <summary>
/// What one offline login decided (<see cref="OfflineLogin"/>): what becomes of the stored entry, what the
/// caller is answered and what is logged. Applied in that order: a change is persisted before the reply.
/// </summary>
/// <param name="Change">What to do to the store.</param>
/// <param name="Reply">The answer's kind.</param>
/// <param name="Event">What to log; null when nothing is worth a line.</param>
public sealed record OfflineDecision(EntryChange Change, OfflineReply Reply, OfflineEvent? Event)
{
    /// <summary>
    /// The entry as now locked, its verifier stripped: the caller may keep it as a reason to refuse without
    /// reading the file while the lock holds (only ever to refuse). Null when the entry is not locked.
    /// </summary>
    public CredentialEntry? KnownLock { get; init; }
}

/// <summary>What an offline login does to the stored entry.</summary>
public abstract record EntryChange
{
    private EntryChange() { }

    /// <summary>The store is left as it is.</summary>
    public sealed record None : EntryChange;

    /// <summary>The entry is replaced by <paramref name="Entry"/> (counted failure, lock, or success and slide).</summary>
    public sealed record Write(CredentialEntry Entry) : EntryChange;

    /// <summary>The entry is removed (it expired).</summary>
    public sealed record Delete : EntryChange;

    /// <summary>
    /// No entry: one atomic write of a dummy to the store's scratch file, so that "not cached" costs what a
    /// persisted failure does (DESIGN §3.1 step 6).
    /// </summary>
    public sealed record Pad : EntryChange;
}

/// <summary>The kind of answer an offline login gets (the actors map it to their protocol).</summary>
public abstract record OfflineReply
{
    private OfflineReply() { }

    /// <summary>The password matched the cached verifier.</summary>
    public sealed record Success(UserAttributes Attributes, TimeSpan CachedFor) : OfflineReply;

    public sealed record WrongPassword : OfflineReply;

    /// <summary>Refused without hashing: the entry is locked for <paramref name="SecondsLeft"/> more seconds.</summary>
    public sealed record Locked(long SecondsLeft) : OfflineReply;

    public sealed record Expired : OfflineReply;

    public sealed record NotCached : OfflineReply;

    /// <summary>The hashing gate shed the job (queue full, or it could not finish in time): nothing counted.</summary>
    public sealed record Busy : OfflineReply;

    /// <summary>The deadline passed before the password was hashed: nothing counted.</summary>
    public sealed record TimedOut : OfflineReply;
}

/// <summary>What an offline login logs (DESIGN §3.10); the caller words it.</summary>
public abstract record OfflineEvent
{
    private OfflineEvent() { }

    /// <summary>"offline auth success for user 'alice' (cached 6h ago)".</summary>
    public sealed record Succeeded(TimeSpan CachedFor) : OfflineEvent;

    /// <summary>
    /// "offline auth failed for user 'bob' (password mismatch, attempt 3/5)", and when this failure locked
    /// the entry, "offline auth locked for user 'bob' (locked for 30s)".
    /// </summary>
    public sealed record Mismatched(int Attempt, int MaxAttempts, long? LockedForSeconds) : OfflineEvent;

    /// <summary>"offline auth blocked for user 'charlie' (locked for 120s)".</summary>
    public sealed record Blocked(long SecondsLeft) : OfflineEvent;

    /// <summary>"offline cache entry for user 'dave' expired, removed".</summary>
    public sealed record Expired : OfflineEvent;

    /// <summary>"offline auth unavailable for user 'eve' (not cached)".</summary>
    public sealed record NotCached : OfflineEvent;
}
