using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Maintenance;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Tests.Maintenance;

/// <summary>Issue 11: the one maintenance core both admin paths, the user actor and the janitor call. Table-driven.</summary>
public sealed class CacheMaintenanceTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
    private static readonly ExpiryPolicy Expiry = new(TimeSpan.FromDays(1), TimeSpan.FromDays(7));

    private readonly MemoryStore _store = new();
    private readonly CacheGuard _guard = new();

    private CacheMaintenance Core(bool keyKnown = true) => new(_store, Expiry, _guard, keyKnown);

    private static CredentialEntry Entry(string user, long createdAgo = 0, long? expiresIn = null, int failures = 0, long lockedFor = 0)
    {
        var t = Now.ToUnixTimeSeconds();
        return new CredentialEntry
        {
            User = user,
            CreatedAt = t - createdAgo,
            ExpiresAt = t + (expiresIn ?? 3600),
            FailedAttempts = failures,
            LockedUntil = lockedFor > 0 ? t + lockedFor : 0,
            PasswordHash = new byte[32],
            Salt = new byte[16],
        };
    }

    // ---- describe: the status ladder (expired before locked) and the effective expiry ----

    [Theory]
    // createdAgo, expiresIn, lockedFor, status, effective expiry relative to now
    [InlineData(0, 3600, 0, EntryStatus.Active, 3600)]
    [InlineData(0, 3600, 60, EntryStatus.Locked, 3600)]
    [InlineData(0, 0, 60, EntryStatus.Expired, 0)]              // expires_at reached: expired beats locked
    [InlineData(0, -1, 0, EntryStatus.Expired, -1)]
    [InlineData(604800, 3600, 60, EntryStatus.Expired, 0)]      // max TTL reached, though expires_at is later
    [InlineData(604000, 3600, 0, EntryStatus.Active, 800)]      // shown expiry: created_at + max TTL, the earlier
    public void Describe_ranks_expired_before_locked_and_shows_the_capped_expiry(long createdAgo, long expiresIn, long lockedFor, EntryStatus status, long expiresAt)
    {
        var d = Core().Describe(new ReadOutcome.Found(Entry("alice", createdAgo, expiresIn, 5, lockedFor)), Now);
        Assert.Equal(status, d.Status);
        Assert.Equal(Now.ToUnixTimeSeconds() + expiresAt, d.ExpiresAt);
        Assert.Equal(lockedFor, d.LockSecondsLeft);
        Assert.Equal(5, d.Failures);
        Assert.True(d.Found);
    }

    [Fact]
    public void Describe_of_an_unreadable_or_missing_entry()
    {
        var unreadable = Core().Describe(new ReadOutcome.Unreadable(ReadFailure.BadMagic, "x"), Now);
        Assert.Equal(EntryStatus.Unreadable, unreadable.Status);
        Assert.Equal(ReadFailure.BadMagic, unreadable.Failure);
        Assert.Null(unreadable.CreatedAt);
        var missing = Core().Describe(ReadOutcome.NotFound.Instance, Now);
        Assert.Equal(EntryStatus.None, missing.Status);
        Assert.False(missing.Found);
    }

    // ---- unlock and invalidate ----

    [Fact]
    public void Unlock_outcomes()
    {
        _store.Put(Entry("locked", failures: 6, lockedFor: 60));
        _store.Put(Entry("counting", failures: 2));
        _store.PutUnreadable("bad", ReadFailure.AuthenticationFailed);

        Assert.Equal(new UnlockOutcome.Unlocked(true, 6), Core().Unlock("locked", Now));
        Assert.Equal((0, 0L), (_store.Get("locked")!.FailedAttempts, _store.Get("locked")!.LockedUntil));
        Assert.Equal(new UnlockOutcome.Unlocked(false, 2), Core().Unlock("counting", Now));
        Assert.Equal(new UnlockOutcome.Unreadable(ReadFailure.AuthenticationFailed), Core().Unlock("bad", Now));
        Assert.Equal(UnlockOutcome.NoEntry.Instance, Core().Unlock("nobody", Now));
        Assert.Equal(2, _store.Writes);
    }

    [Fact]
    public void Invalidate_outcomes()
    {
        _store.Put(Entry("alice"));
        Assert.Equal(InvalidateOutcome.Removed.Instance, Core().Invalidate("alice"));
        Assert.Equal(InvalidateOutcome.NoEntry.Instance, Core().Invalidate("alice"));
    }

    [Fact]
    public void A_frozen_cache_is_neither_unlocked_nor_invalidated_nor_swept()
    {
        _store.Put(Entry("alice", failures: 6, lockedFor: 60));
        _store.Put(Entry("old", createdAgo: 700000));
        _store.PutUnreadable("bad", ReadFailure.BadMagic);
        _store.Temporary.Add("/memory/.x.tmp");
        _guard.Freeze("spec");

        Assert.Equal(new UnlockOutcome.Frozen("spec"), Core().Unlock("alice", Now));
        Assert.Equal(new InvalidateOutcome.Frozen("spec"), Core().Invalidate("alice"));
        Assert.Equal(KeyOutcome.Frozen, Core().SettleKey(MemoryStore.KeyOf("old"), SweepKind.Cleanup, Now));
        var tally = Core().Sweep(SweepKind.Cleanup, Now, TimeSpan.Zero);
        Assert.Equal((0, 0, 0), (tally.ExpiredRemoved, tally.Quarantined, tally.TemporaryRemoved));
        Assert.Equal((0, 0, 0, 3), (_store.Writes, _store.Deletes, _store.Quarantined.Count, _store.Count));
        Assert.Single(_store.Temporary);
    }

    // ---- one key of a sweep ----

    public enum State { Fresh, Expired, BadMagic, AuthenticationFailed, IoError, Missing }

    [Theory]
    [InlineData(State.Fresh, SweepKind.Expire, false, KeyOutcome.Kept)]
    [InlineData(State.Fresh, SweepKind.Cleanup, false, KeyOutcome.Kept)]
    [InlineData(State.Expired, SweepKind.Expire, true, KeyOutcome.ExpiredRemoved)]
    [InlineData(State.Expired, SweepKind.Cleanup, true, KeyOutcome.ExpiredRemoved)]
    [InlineData(State.BadMagic, SweepKind.Expire, false, KeyOutcome.Kept)]
    [InlineData(State.BadMagic, SweepKind.Cleanup, true, KeyOutcome.Quarantined)]
    [InlineData(State.AuthenticationFailed, SweepKind.Expire, false, KeyOutcome.Kept)]
    [InlineData(State.AuthenticationFailed, SweepKind.Cleanup, true, KeyOutcome.Quarantined)]
    [InlineData(State.IoError, SweepKind.Expire, false, KeyOutcome.Kept)]
    [InlineData(State.IoError, SweepKind.Cleanup, false, KeyOutcome.Unreadable)] // I/O is never quarantined
    [InlineData(State.Missing, SweepKind.Cleanup, false, KeyOutcome.Missing)]
    public void Each_sweep_settles_a_key_by_one_table(State state, SweepKind kind, bool stale, KeyOutcome outcome)
    {
        var key = MemoryStore.KeyOf("k");
        switch (state)
        {
            case State.Fresh: _store.Put(Entry("k")); break;
            case State.Expired: _store.Put(Entry("k", expiresIn: -10)); break;
            case State.BadMagic: _store.PutUnreadable("k", ReadFailure.BadMagic); break;
            case State.AuthenticationFailed: _store.PutUnreadable("k", ReadFailure.AuthenticationFailed); break;
            case State.IoError: _store.PutUnreadable("k", ReadFailure.IoError); break;
        }
        Assert.Equal(stale, Core().LooksStale(key, kind, Now));
        Assert.Equal(outcome, Core().SettleKey(key, kind, Now));
        Assert.Equal(outcome == KeyOutcome.Quarantined ? 1 : 0, _store.Quarantined.Count);
        Assert.Equal(state is State.Fresh or State.BadMagic or State.AuthenticationFailed or State.IoError && outcome is KeyOutcome.Kept or KeyOutcome.Unreadable,
            _store.Count == 1);
    }

    [Fact]
    public void An_undecryptable_entry_is_not_quarantined_when_the_key_is_unknown()
    {
        _store.PutUnreadable("k", ReadFailure.AuthenticationFailed);
        Assert.False(Core(keyKnown: false).LooksStale(MemoryStore.KeyOf("k"), SweepKind.Cleanup, Now));
        Assert.Equal(KeyOutcome.Kept, Core(keyKnown: false).SettleKey(MemoryStore.KeyOf("k"), SweepKind.Cleanup, Now));
        Assert.Empty(_store.Quarantined);
    }

    [Fact]
    public void When_most_entries_stop_decrypting_the_sweep_freezes_and_quarantines_no_more()
    {
        foreach (var u in new[] { "a", "b", "c", "d" }) _store.PutUnreadable(u, ReadFailure.AuthenticationFailed);
        var tally = Core().Sweep(SweepKind.Cleanup, Now, TimeSpan.Zero);
        Assert.True(_guard.Frozen);
        Assert.Equal(2, tally.Quarantined); // the third distinct failure freezes the cache
        Assert.Equal(2, _store.Count);
    }

    [Theory]
    [InlineData(SweepKind.Expire, 1, 0, 0)]
    [InlineData(SweepKind.Cleanup, 1, 1, 1)]
    public void A_whole_sweep(SweepKind kind, int expired, int quarantined, int temporary)
    {
        _store.Put(Entry("fresh"));
        _store.Put(Entry("old", createdAgo: 700000));
        _store.PutUnreadable("bad", ReadFailure.BadMagic);
        _store.Temporary.Add("/memory/.x.tmp");
        var tally = Core().Sweep(kind, Now, TimeSpan.Zero);
        Assert.Equal((3, expired, quarantined, temporary), (tally.Scanned, tally.ExpiredRemoved, tally.Quarantined, tally.TemporaryRemoved));
        Assert.Equal(1 - temporary, _store.Temporary.Count);
    }

    /// <summary>Entries by key in memory; counts writes, deletes and quarantines.</summary>
    private sealed class MemoryStore : ICredentialStore
    {
        private readonly Dictionary<string, CredentialEntry> _entries = new();
        private readonly Dictionary<string, ReadFailure> _unreadable = new();

        public static string KeyOf(string user) => CacheFileName.KeyFor(user);
        public List<string> Quarantined { get; } = [];
        public List<string> Temporary { get; } = [];
        public int Writes { get; private set; }
        public int Deletes { get; private set; }
        public int Count => _entries.Count + _unreadable.Count;

        public void Put(CredentialEntry entry) => _entries[KeyOf(entry.User)] = entry;
        public void PutUnreadable(string user, ReadFailure failure) => _unreadable[KeyOf(user)] = failure;
        public CredentialEntry? Get(string user) => _entries.GetValueOrDefault(KeyOf(user));

        public string Directory => "/nonexistent-memory-store";
        public ReadOutcome Read(string user) => ReadByKey(KeyOf(user));
        public ReadOutcome ReadByKey(string key) =>
            _entries.TryGetValue(key, out var e) ? new ReadOutcome.Found(e)
            : _unreadable.TryGetValue(key, out var f) ? new ReadOutcome.Unreadable(f, "injected")
            : ReadOutcome.NotFound.Instance;
        public void Write(CredentialEntry entry) { Writes++; Put(entry); }
        public void WritePad() { }
        public bool Delete(string user) => DeleteByKey(KeyOf(user));
        public bool DeleteByKey(string key)
        {
            Deletes++;
            return _entries.Remove(key) | _unreadable.Remove(key);
        }
        public IReadOnlyList<StoredFile> Enumerate() =>
            _entries.Keys.Concat(_unreadable.Keys).Select(k => new StoredFile(k, $"/m/{k}.cred", 200, Now)).ToList();
        public IReadOnlyList<string> OrphanedTemporaryFiles(TimeSpan olderThan) => Temporary.ToList();
        public void RemoveTemporaryFile(string path) => Temporary.Remove(path);
        public string Quarantine(string key)
        {
            _unreadable.Remove(key);
            Quarantined.Add(key);
            return "/q/" + key;
        }
    }
}
