using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using static OpenBastion.Engine.Tests.Cache.CacheTestData;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>Issue 10 item 4: key rotation and recovery re-encrypt every entry without a re-login; item 7: the pad write.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class RekeyTests : IDisposable
{
    private static readonly byte[] ThirdKey = Enumerable.Range(201, 32).Select(i => (byte)i).ToArray();
    private readonly TempCacheDirectory _tmp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero));

    public void Dispose() => _tmp.Dispose();

    private CredentialStore NewStore(byte[] key) => new(_tmp.CacheDir, key, _time);

    [Fact]
    public void After_a_rekey_every_entry_reads_under_the_new_key_and_none_under_the_old()
    {
        using var store = NewStore(Key);
        var users = new[] { "a", "b", "c" };
        foreach (var user in users) store.Write(Entry(user));

        var report = store.Rekey(OtherKey, []);
        Assert.Equal(3, report.Rekeyed);
        Assert.Empty(report.Undecryptable);

        foreach (var user in users) EntryCodecTests.AssertSame(Entry(user), Assert.IsType<ReadOutcome.Found>(store.Read(user)).Entry);
        using var fresh = NewStore(OtherKey);
        using var old = NewStore(Key);
        foreach (var user in users)
        {
            Assert.IsType<ReadOutcome.Found>(fresh.Read(user));
            Assert.Equal(ReadFailure.AuthenticationFailed, Assert.IsType<ReadOutcome.Unreadable>(old.Read(user)).Failure);
        }
        Assert.Empty(Directory.GetFiles(_tmp.CacheDir, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }

    [Fact]
    public void The_recovery_form_brings_entries_of_an_old_key_into_the_current_one_and_leaves_the_rest_untouched()
    {
        using (var old = NewStore(OtherKey)) { old.Write(Entry("a")); old.Write(Entry("b")); }
        using (var stranger = NewStore(ThirdKey)) stranger.Write(Entry("z"));
        using var store = NewStore(Key);
        store.Write(Entry("c"));
        var strangerFile = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("z"));
        var strangerBytes = File.ReadAllBytes(strangerFile);

        var report = store.Rekey(Key, [OtherKey]);

        Assert.Equal(2, report.Rekeyed);
        Assert.Equal(1, report.AlreadyCurrent);
        Assert.Equal([CacheFileName.KeyFor("z")], report.Undecryptable);
        foreach (var user in new[] { "a", "b", "c" }) Assert.IsType<ReadOutcome.Found>(store.Read(user));
        Assert.Equal(strangerBytes, File.ReadAllBytes(strangerFile));
    }

    [Fact]
    public void Rotating_the_key_file_rekeys_to_the_new_key_material_and_keeps_the_old_file_until_done()
    {
        var keyFile = Path.Combine(_tmp.Root, "cache.key");
        var machineId = Path.Combine(_tmp.Root, "machine-id");
        File.WriteAllText(machineId, "0123456789abcdef0123456789abcdef\n");
        File.WriteAllBytes(keyFile, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var settings = EngineSettings.Defaults with { OfflineCacheDir = _tmp.CacheDir, OfflineCacheKeyFile = keyFile, MachineIdFile = machineId };
        var oldBytes = File.ReadAllBytes(keyFile);

        using var before = CacheKeyDerivation.Derive(settings);
        using var store = new CredentialStore(_tmp.CacheDir, before.Bytes, _time);
        store.Write(Entry("a"));
        store.Write(Entry("b"));
        var guard = new CacheGuard();
        guard.Freeze("spec");

        KeyFileRotation.Begin(keyFile);
        Assert.Equal(oldBytes, File.ReadAllBytes(KeyFileRotation.OldPath(keyFile)));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeyFileRotation.OldPath(keyFile)));
        Assert.NotEqual(oldBytes, File.ReadAllBytes(keyFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        Assert.Throws<KeyMaterialException>(() => KeyFileRotation.Begin(keyFile)); // never overwrites a leftover .old

        var report = CacheRekey.Run(store, settings, default, guard);
        KeyFileRotation.Complete(keyFile);

        Assert.Equal(2, report.Rekeyed);
        Assert.False(File.Exists(KeyFileRotation.OldPath(keyFile)));
        Assert.False(guard.Frozen);
        using var after = CacheKeyDerivation.Derive(settings);
        Assert.False(after.Bytes.SequenceEqual(before.Bytes));
        using var reopened = new CredentialStore(_tmp.CacheDir, after.Bytes, _time);
        Assert.IsType<ReadOutcome.Found>(reopened.Read("a"));
        Assert.Equal(KeyCheckOutcome.Matched, CacheKeyCheck.Check(reopened, after.Bytes, writeMarker: false).Outcome);

        // Recovery form: entries under the old key file come back into the current key material.
        using (var stale = new CredentialStore(_tmp.CacheDir, before.Bytes, _time)) stale.Write(Entry("c"));
        var recovered = CacheRekey.Run(reopened, settings, oldBytes, guard);
        Assert.Equal(1, recovered.Rekeyed);
        Assert.IsType<ReadOutcome.Found>(reopened.Read("c"));
    }

    [Fact]
    public void A_write_that_arrives_during_a_rekey_waits_for_it_and_lands_under_the_new_key()
    {
        using var store = NewStore(Key);
        store.Write(Entry("a"));
        store.Write(Entry("b"));
        Thread? late = null;
        Exception? lateFailure = null;
        store.BeforeRename = _ =>
        {
            // A login persisting its entry while the rekey runs (on another thread, as a user actor would).
            if (late is null)
            {
                late = new Thread(() =>
                {
                    try { store.Write(Entry("late")); }
                    catch (Exception ex) { lateFailure = ex; }
                });
                late.Start();
                late.Join(TimeSpan.FromMilliseconds(200)); // lets an unguarded write finish first; never an assertion
            }
            return true;
        };

        store.Rekey(OtherKey, []);
        store.BeforeRename = null;
        Assert.NotNull(late);
        late!.Join();
        Assert.Null(lateFailure);

        using var fresh = NewStore(OtherKey);
        foreach (var user in new[] { "a", "b", "late" }) Assert.IsType<ReadOutcome.Found>(fresh.Read(user));
    }

    [Fact]
    public void The_pad_write_goes_through_the_atomic_path_and_is_never_an_entry()
    {
        using var store = NewStore(Key);
        var renames = 0;
        store.BeforeRename = _ => { renames++; return true; };
        store.WritePad();
        store.WritePad();

        var pad = Path.Combine(_tmp.CacheDir, CredentialStore.PadFileName);
        Assert.Equal(2, renames);
        Assert.True(new FileInfo(pad).Length > EntryCodec.MinFileSize + 100);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pad));
        Assert.Empty(store.Enumerate());
        Assert.Empty(Directory.GetFiles(_tmp.CacheDir, "*.tmp", new EnumerationOptions { AttributesToSkip = 0 }));
    }
}
