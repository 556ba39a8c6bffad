using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Maintenance;

/// <summary>
/// The one implementation of every operator and janitor rule on the cache files (issue 11): unlock, invalidate,
/// the sweeps and the description of an entry. Whoever calls it — a user actor, the janitor through the entities,
/// the admin tool with the daemon stopped — gets the same decision and the same bookkeeping (like SSSD's
/// <c>sysdb_cache_auth()</c>). The caller serializes access to one key (the user's entity, or the directory lock).
/// </summary>
/// <remarks>
/// The cache guard (<see cref="CacheGuard"/>) is respected everywhere: while it is frozen, nothing is unlocked,
/// invalidated, removed or quarantined here (only <c>clear</c>, which does not come through here, still deletes).
/// An entry that cannot be read (<see cref="ReadFailure.IoError"/>) is never quarantined: I/O is not corruption.
/// Store exceptions (<see cref="CredentialStoreException"/>, I/O) propagate, except from <see cref="SettleKey"/>.
/// </remarks>
public sealed class CacheMaintenance(ICredentialStore store, ExpiryPolicy expiry, CacheGuard guard, bool keyKnown = true)
{
    /// <summary>The policy entries are judged by.</summary>
    public ExpiryPolicy Expiry => expiry;

    /// <summary>The guard consulted before every change.</summary>
    public CacheGuard Guard => guard;

    /// <summary>Clears <paramref name="user"/>'s lockout (failures reset, not a login).</summary>
    public UnlockOutcome Unlock(string user, DateTimeOffset now)
    {
        if (guard.Frozen) return new UnlockOutcome.Frozen(guard.Reason ?? "");
        switch (store.Read(user))
        {
            case ReadOutcome.Found { Entry: var entry }:
                var wasLocked = LockoutPolicy.IsLocked(entry, now);
                store.Write(LockoutPolicy.Unlock(entry));
                return new UnlockOutcome.Unlocked(wasLocked, entry.FailedAttempts);
            case ReadOutcome.Unreadable u:
                return new UnlockOutcome.Unreadable(u.Failure);
            default:
                return UnlockOutcome.NoEntry.Instance;
        }
    }

    /// <summary>Deletes <paramref name="user"/>'s entry (overwritten, then unlinked).</summary>
    public InvalidateOutcome Invalidate(string user)
    {
        if (guard.Frozen) return new InvalidateOutcome.Frozen(guard.Reason ?? "");
        return store.Delete(user) ? InvalidateOutcome.Removed.Instance : InvalidateOutcome.NoEntry.Instance;
    }

    /// <summary>What <c>show</c> and <c>list</c> print of <paramref name="outcome"/> (never the verifier).</summary>
    public EntryDescription Describe(ReadOutcome outcome, DateTimeOffset now) => EntryDescription.Of(outcome, expiry, now);

    /// <summary>
    /// A sweep's first look at one file (the janitor's, off the owner): whether <see cref="SettleKey"/> has
    /// something to do. Every read is recorded in the guard, so that when most entries stop decrypting at once
    /// the cache freezes and nothing more is quarantined.
    /// </summary>
    public bool LooksStale(string key, SweepKind kind, DateTimeOffset now) => LooksStale(key, kind, now, out _);

    /// <inheritdoc cref="LooksStale(string, SweepKind, DateTimeOffset)"/>
    /// <param name="ioError">Set when the file could not be read (I/O): skipped, for the caller to log.</param>
    public bool LooksStale(string key, SweepKind kind, DateTimeOffset now, out string? ioError)
    {
        ioError = null;
        switch (store.ReadByKey(key))
        {
            case ReadOutcome.Found f:
                guard.RecordReadable(key);
                return expiry.IsExpired(f.Entry, now);
            case ReadOutcome.Unreadable { Failure: ReadFailure.IoError } io:
                ioError = io.Detail;
                return false;
            case ReadOutcome.Unreadable when kind == SweepKind.Expire:
                return false;
            case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed }:
                return keyKnown && guard.RecordAuthenticationFailure(key);
            case ReadOutcome.Unreadable:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Settles one file of a sweep, by its owner: re-reads it and removes it if it is expired; for
    /// <see cref="SweepKind.Cleanup"/> also removes it if it is empty (nothing to keep) and quarantines it if it is
    /// unreadable (never for an I/O error, never while frozen). Never throws: a store fault is <see cref="KeyOutcome.Failed"/>.
    /// </summary>
    public KeyOutcome SettleKey(string key, SweepKind kind, DateTimeOffset now)
    {
        if (guard.Frozen) return KeyOutcome.Frozen;
        try
        {
            switch (store.ReadByKey(key))
            {
                case ReadOutcome.NotFound:
                    return KeyOutcome.Missing;
                case ReadOutcome.Found f when expiry.IsExpired(f.Entry, now):
                    return store.DeleteByKey(key) ? KeyOutcome.ExpiredRemoved : KeyOutcome.Missing;
                case ReadOutcome.Found:
                    return KeyOutcome.Kept;
                case ReadOutcome.Unreadable when kind == SweepKind.Expire:
                    return KeyOutcome.Kept;
                case ReadOutcome.Unreadable { Failure: ReadFailure.IoError }:
                    return KeyOutcome.Unreadable;
                case ReadOutcome.Unreadable { Failure: ReadFailure.Truncated } when IsEmpty(key):
                    return store.DeleteByKey(key) ? KeyOutcome.EmptyRemoved : KeyOutcome.Missing;
                case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed } when !keyKnown || guard.Frozen:
                    return KeyOutcome.Kept;
                default:
                    store.Quarantine(key);
                    return KeyOutcome.Quarantined;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
        {
            return KeyOutcome.Failed;
        }
    }

    /// <summary>Deletes the file of <paramref name="key"/> whatever it holds (<c>clear</c>, one key at a time). Not guarded.</summary>
    public KeyOutcome RemoveKey(string key)
    {
        try
        {
            return store.DeleteByKey(key) ? KeyOutcome.Removed : KeyOutcome.Missing;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
        {
            return KeyOutcome.Failed;
        }
    }

    /// <summary>
    /// Cleanup's removal of temporary files left by interrupted writes older than <paramref name="olderThan"/>
    /// (the daemon's writers may be mid-write; with the directory lock held, any age). Returns how many, and the
    /// paths that could not be removed. Nothing while frozen.
    /// </summary>
    public (int Removed, IReadOnlyList<string> Failed) RemoveOrphans(TimeSpan olderThan)
    {
        if (guard.Frozen) return (0, []);
        var removed = 0;
        var failed = new List<string>();
        foreach (var path in store.OrphanedTemporaryFiles(olderThan))
        {
            try
            {
                store.RemoveTemporaryFile(path);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
            {
                failed.Add(path);
            }
        }
        return (removed, failed);
    }

    /// <summary>
    /// A whole sweep in one call, for a caller that owns every key (the admin tool under the directory lock).
    /// The daemon runs the same steps spread over its actors: <see cref="RemoveOrphans"/> on the janitor, then
    /// <see cref="LooksStale"/> there and <see cref="SettleKey"/> on each key's entity.
    /// </summary>
    public SweepTally Sweep(SweepKind kind, DateTimeOffset now, TimeSpan orphanAge)
    {
        var tally = new SweepTally();
        if (guard.Frozen) return tally;
        if (kind == SweepKind.Cleanup) tally.TemporaryRemoved = RemoveOrphans(orphanAge).Removed;
        foreach (var file in store.Enumerate())
        {
            tally.Scanned++;
            if (LooksStale(file.Key, kind, now) || (kind == SweepKind.Cleanup && file.Length == 0))
                tally.Add(SettleKey(file.Key, kind, now));
        }
        return tally;
    }

    private bool IsEmpty(string key)
    {
        var info = new FileInfo(Path.Combine(store.Directory, CacheFileName.FileNameForKey(key)));
        return info.Exists && info.Length == 0;
    }
}

/// <summary>Which sweep: <c>expire</c> or <c>cleanup</c> (the janitor's periodic one).</summary>
public enum SweepKind
{
    /// <summary>Removes expired entries only.</summary>
    Expire,
    /// <summary>Removes expired entries, orphaned temporary files and empty entry files; quarantines unreadable entries (never an I/O error).</summary>
    Cleanup,
}

/// <summary>What a sweep did to one file.</summary>
public enum KeyOutcome
{
    /// <summary>Nothing to do (fresh, or unreadable but not this sweep's business).</summary>
    Kept,
    /// <summary>The file was already gone.</summary>
    Missing,
    /// <summary>Deleted as expired.</summary>
    ExpiredRemoved,
    /// <summary>A zero-byte entry file, deleted.</summary>
    EmptyRemoved,
    /// <summary>Deleted on request (<c>clear</c>).</summary>
    Removed,
    /// <summary>Unreadable, moved to the quarantine folder.</summary>
    Quarantined,
    /// <summary>Could not be read (I/O): left in place.</summary>
    Unreadable,
    /// <summary>The cache is frozen: nothing touched.</summary>
    Frozen,
    /// <summary>A store fault while acting.</summary>
    Failed,
}

/// <summary>The totals of a sweep.</summary>
public sealed class SweepTally
{
    public int Scanned { get; set; }
    public int ExpiredRemoved { get; set; }
    public int TemporaryRemoved { get; set; }
    public int EmptyRemoved { get; set; }
    public int Quarantined { get; set; }
    public int Removed { get; set; }

    /// <summary>Counts one settled key.</summary>
    public void Add(KeyOutcome outcome)
    {
        switch (outcome)
        {
            case KeyOutcome.ExpiredRemoved: ExpiredRemoved++; break;
            case KeyOutcome.EmptyRemoved: EmptyRemoved++; break;
            case KeyOutcome.Quarantined: Quarantined++; break;
            case KeyOutcome.Removed: Removed++; break;
        }
    }
}

/// <summary>The result of <see cref="CacheMaintenance.Unlock"/>.</summary>
public abstract record UnlockOutcome
{
    private UnlockOutcome() { }

    /// <summary>Lockout cleared; <paramref name="FailuresCleared"/> failed attempts were reset.</summary>
    public sealed record Unlocked(bool WasLocked, int FailuresCleared) : UnlockOutcome;

    public sealed record NoEntry : UnlockOutcome
    {
        public static readonly NoEntry Instance = new();
    }

    /// <summary>The entry exists but cannot be read; nothing changed.</summary>
    public sealed record Unreadable(ReadFailure Failure) : UnlockOutcome;

    /// <summary>The cache is frozen; nothing changed.</summary>
    public sealed record Frozen(string Reason) : UnlockOutcome;
}

/// <summary>The result of <see cref="CacheMaintenance.Invalidate"/>.</summary>
public abstract record InvalidateOutcome
{
    private InvalidateOutcome() { }

    public sealed record Removed : InvalidateOutcome
    {
        public static readonly Removed Instance = new();
    }

    public sealed record NoEntry : InvalidateOutcome
    {
        public static readonly NoEntry Instance = new();
    }

    /// <summary>The cache is frozen; nothing changed.</summary>
    public sealed record Frozen(string Reason) : InvalidateOutcome;
}
