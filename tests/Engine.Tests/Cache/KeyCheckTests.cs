using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using static OpenBastion.Engine.Tests.Cache.CacheTestData;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>Issue 10 item 4: the key-check marker, and the freeze when most entries stop decrypting.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyCheckTests : IDisposable
{
    private readonly TempCacheDirectory _tmp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));

    public void Dispose() => _tmp.Dispose();

    private CredentialStore NewStore(byte[] key) => new(_tmp.CacheDir, key, _time);
    private string MarkerPath => Path.Combine(_tmp.CacheDir, CacheKeyCheck.FileName);

    [Fact]
    public void The_marker_is_written_0600_as_a_one_way_value_then_matches()
    {
        using var store = NewStore(Key);
        store.Write(Entry("bob"));

        var first = CacheKeyCheck.Check(store, Key, writeMarker: true);
        Assert.Equal(KeyCheckOutcome.MarkerWritten, first.Outcome);
        Assert.Equal(1_800_000_100, first.NewestTimestamp);
        var marker = File.ReadAllBytes(MarkerPath);
        Assert.Equal(32, marker.Length);
        Assert.NotEqual(Key, marker);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(MarkerPath));
        Assert.DoesNotContain(store.Enumerate(), f => f.Path == MarkerPath);

        Assert.Equal(KeyCheckOutcome.Matched, CacheKeyCheck.Check(store, Key, writeMarker: true).Outcome);
    }

    [Fact]
    public void A_marker_of_other_key_material_is_a_mismatch_and_is_never_rewritten()
    {
        using (var before = NewStore(Key))
        {
            before.Write(Entry("bob"));
            CacheKeyCheck.Check(before, Key, writeMarker: true);
        }
        var written = File.ReadAllBytes(MarkerPath);

        using var after = NewStore(OtherKey);
        var result = CacheKeyCheck.Check(after, OtherKey, writeMarker: true);
        Assert.Equal(KeyCheckOutcome.Mismatch, result.Outcome);
        Assert.Equal(written, File.ReadAllBytes(MarkerPath)); // never rewritten on a mismatch
    }

    [Fact]
    public void On_a_cache_without_entries_a_mismatching_marker_follows_the_new_key()
    {
        using (var before = NewStore(Key)) CacheKeyCheck.Check(before, Key, writeMarker: true);
        using var after = NewStore(OtherKey);
        Assert.Equal(KeyCheckOutcome.MarkerWritten, CacheKeyCheck.Check(after, OtherKey, writeMarker: true).Outcome);
        Assert.Equal(KeyCheckOutcome.Matched, CacheKeyCheck.Check(after, OtherKey, writeMarker: true).Outcome);
    }

    [Fact]
    public void Without_a_marker_most_entries_failing_to_decrypt_is_a_mismatch_and_nothing_is_written()
    {
        using (var old = NewStore(Key))
            foreach (var user in new[] { "a", "b", "c" }) old.Write(Entry(user));
        using var store = NewStore(OtherKey);
        store.Write(Entry("d"));

        var result = CacheKeyCheck.Check(store, OtherKey, writeMarker: true);
        Assert.Equal(KeyCheckOutcome.Mismatch, result.Outcome);
        Assert.False(File.Exists(MarkerPath));
        Assert.Equal(4, store.Enumerate().Count);
    }

    [Fact]
    public void Without_a_marker_a_minority_of_undecryptable_entries_does_not_stop_the_check()
    {
        using (var old = NewStore(OtherKey)) old.Write(Entry("x"));
        using var store = NewStore(Key);
        foreach (var user in new[] { "a", "b" }) store.Write(Entry(user));

        Assert.Equal(KeyCheckOutcome.MarkerWritten, CacheKeyCheck.Check(store, Key, writeMarker: true).Outcome);
        Assert.True(File.Exists(MarkerPath));
    }

    [Fact]
    public void The_guard_freezes_on_the_third_distinct_failure_when_failures_are_the_majority()
    {
        var guard = new CacheGuard(_time);
        guard.MarkChecked();
        Assert.True(guard.RecordAuthenticationFailure("k1"));
        Assert.True(guard.RecordAuthenticationFailure("k1")); // the same entry again is not "several"
        Assert.True(guard.RecordAuthenticationFailure("k2"));
        Assert.False(guard.RecordAuthenticationFailure("k3"));
        Assert.True(guard.Frozen);
        Assert.Equal(CacheKeyState.Mismatch, guard.State);

        guard.Thaw();
        Assert.False(guard.Frozen);
        Assert.True(guard.RecordAuthenticationFailure("k4"));
    }

    [Fact]
    public void The_guard_keeps_quarantining_scattered_corrupt_entries_among_readable_ones()
    {
        var guard = new CacheGuard(_time);
        for (var i = 0; i < 10; i++) guard.RecordReadable($"ok{i}");
        Assert.True(guard.RecordAuthenticationFailure("k1"));
        Assert.True(guard.RecordAuthenticationFailure("k2"));
        Assert.True(guard.RecordAuthenticationFailure("k3"));
        Assert.False(guard.Frozen);
    }

    [Fact]
    public void The_guard_forgets_failures_older_than_its_window()
    {
        var guard = new CacheGuard(_time);
        Assert.True(guard.RecordAuthenticationFailure("k1"));
        Assert.True(guard.RecordAuthenticationFailure("k2"));
        _time.Advance(CacheGuard.Window + TimeSpan.FromSeconds(1));
        Assert.True(guard.RecordAuthenticationFailure("k3"));
        Assert.False(guard.Frozen);
    }
}
