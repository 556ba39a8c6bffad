using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using static OpenBastion.Engine.Tests.Cache.CacheTestData;

namespace OpenBastion.Engine.Tests.Cache;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class CredentialStoreTests : IDisposable
{
    private readonly TempCacheDirectory _tmp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2001, 2, 3, 4, 5, 6, TimeSpan.Zero)); // before any real file time

    public void Dispose() => _tmp.Dispose();

    private CredentialStore NewStore(byte[]? key = null) => new(_tmp.CacheDir, key ?? Key, _time);

    [Fact]
    public void Reads_the_open_bastion_0_6_entry_and_verifies_its_password()
    {
        Directory.CreateDirectory(_tmp.CacheDir);
        File.Copy(Path.Combine(VectorLocator.Folder(), VectorLocator.EntryFileName), Path.Combine(_tmp.CacheDir, VectorLocator.EntryFileName));
        using var store = NewStore(VectorLocator.Key);

        var entry = Assert.IsType<ReadOutcome.Found>(store.Read("alice")).Entry;
        Assert.Equal(1, entry.FailedAttempts);
        Assert.Equal("Alice Liddell", entry.Gecos);
        Assert.Equal("/bin/bash", entry.Shell);
        Assert.Equal("/home/alice", entry.Home);
        Assert.Equal(1795443119, entry.ExpiresAt);

        var verifier = new PasswordVerifier();
        using var right = Secret.FromString(VectorLocator.Password);
        using var wrong = Secret.FromString("correct horse battery stapler");
        Assert.True(verifier.Verify(right, entry));
        Assert.False(verifier.Verify(wrong, entry));

        var byKey = Assert.IsType<ReadOutcome.Found>(store.ReadByKey("e91494c30192fd38b4493d8ea7d6d268"));
        Assert.Equal("alice", byKey.Entry.User);
    }

    [Fact]
    public void Writes_then_reads_back_and_overwrites()
    {
        using var store = NewStore();
        var first = Entry("bob", new Argon2Parameters(65536, 3, 4));
        store.Write(first);
        EntryCodecTests.AssertSame(first, Assert.IsType<ReadOutcome.Found>(store.Read("bob")).Entry);

        var second = first with { FailedAttempts = 0, LockedUntil = 0, LastSuccess = 1_800_000_500 };
        store.Write(second);
        EntryCodecTests.AssertSame(second, Assert.IsType<ReadOutcome.Found>(store.Read("bob")).Entry);
        Assert.Single(store.Enumerate());
        Assert.Empty(Directory.GetFiles(_tmp.CacheDir, "*.tmp"));
    }

    [Fact]
    public void Absent_users_are_not_found()
    {
        using var store = NewStore();
        Assert.Same(ReadOutcome.NotFound.Instance, store.Read("nobody"));
        Assert.Same(ReadOutcome.NotFound.Instance, store.ReadByKey(CacheFileName.KeyFor("nobody")));
        Assert.False(store.Delete("nobody"));
    }

    [Fact]
    public void Creates_the_directory_0700_and_files_0600()
    {
        using var store = NewStore();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_tmp.CacheDir));
        store.Write(Entry());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"))));
    }

    [Fact]
    public void Tightens_a_directory_others_can_enter()
    {
        Directory.CreateDirectory(_tmp.CacheDir);
        File.SetUnixFileMode(_tmp.CacheDir, (UnixFileMode)0b111_101_101);
        using var store = NewStore();
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(_tmp.CacheDir));
    }

    [Fact]
    public void Refuses_a_directory_that_is_a_symlink()
    {
        var real = Path.Combine(_tmp.Root, "elsewhere");
        Directory.CreateDirectory(real);
        Directory.CreateSymbolicLink(_tmp.CacheDir, real);
        var ex = Assert.Throws<CredentialStoreException>(() => NewStore());
        Assert.Contains("symbolic link", ex.Message);
    }

    [Fact]
    public void A_file_copied_over_another_users_name_is_refused()
    {
        using var store = NewStore();
        store.Write(Entry("mallory"));
        var bobPath = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"));
        File.Copy(Path.Combine(_tmp.CacheDir, CacheFileName.FileName("mallory")), bobPath);

        Assert.Equal(ReadFailure.UserMismatch, Assert.IsType<ReadOutcome.Unreadable>(store.Read("bob")).Failure);
        Assert.Equal(ReadFailure.UserMismatch, Assert.IsType<ReadOutcome.Unreadable>(store.ReadByKey(CacheFileName.KeyFor("bob"))).Failure);
    }

    [Fact]
    public void A_store_with_another_key_cannot_read()
    {
        using (var store = NewStore()) store.Write(Entry());
        using var other = NewStore(OtherKey);
        Assert.Equal(ReadFailure.AuthenticationFailed, Assert.IsType<ReadOutcome.Unreadable>(other.Read("bob")).Failure);
    }

    [Fact]
    public void Oversize_files_are_refused_without_reading()
    {
        using var store = NewStore();
        var path = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"));
        using (var fs = File.Create(path)) fs.SetLength(64L * 1024 * 1024 * 1024); // sparse 64 GiB: reading it would fail the test
        Assert.Equal(ReadFailure.Oversize, Assert.IsType<ReadOutcome.Unreadable>(store.Read("bob")).Failure);
    }

    [Fact]
    public void An_interrupted_write_leaves_the_old_entry_and_an_orphan_temp_file()
    {
        using var store = NewStore();
        var old = Entry();
        store.Write(old);
        store.BeforeRename = _ => false; // the process "dies" between fsync and rename

        Assert.Throws<CredentialStoreException>(() => store.Write(old with { FailedAttempts = 5 }));

        EntryCodecTests.AssertSame(old, Assert.IsType<ReadOutcome.Found>(store.Read("bob")).Entry);
        var listed = Assert.Single(store.Enumerate());
        Assert.Equal(CacheFileName.KeyFor("bob"), listed.Key);

        var temp = Assert.Single(Directory.GetFiles(_tmp.CacheDir, ".*.tmp"));
        var written = File.GetLastWriteTimeUtc(temp);
        _time.SetUtcNow(new DateTimeOffset(written, TimeSpan.Zero) + TimeSpan.FromMinutes(10));
        Assert.Empty(store.OrphanedTemporaryFiles(TimeSpan.FromHours(1)));
        _time.SetUtcNow(new DateTimeOffset(written, TimeSpan.Zero) + TimeSpan.FromHours(2));
        Assert.Equal(temp, Assert.Single(store.OrphanedTemporaryFiles(TimeSpan.FromHours(1))));

        store.RemoveTemporaryFile(temp);
        Assert.False(File.Exists(temp));
        Assert.Empty(store.OrphanedTemporaryFiles(TimeSpan.Zero));
        Assert.IsType<ReadOutcome.Found>(store.Read("bob"));
    }

    [Fact]
    public void A_failed_rename_removes_the_temp_file_and_reports_a_store_error()
    {
        using var store = NewStore();
        var target = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"));
        Directory.CreateDirectory(Path.Combine(target, "blocker")); // a non-empty directory where the file should go

        var ex = Assert.Throws<CredentialStoreException>(() => store.Write(Entry()));
        Assert.Contains(CacheFileName.KeyFor("bob"), ex.Message);
        Assert.Empty(Directory.GetFiles(_tmp.CacheDir, ".*.tmp"));
    }

    [Fact]
    public void An_entry_too_large_for_a_file_is_a_store_error_and_leaves_nothing()
    {
        using var store = NewStore();
        Assert.Throws<CredentialStoreException>(() => store.Write(Entry() with { Gecos = new string('x', EntryCodec.MaxFileSize) }));
        Assert.Empty(Directory.GetFiles(_tmp.CacheDir));
    }

    [Fact]
    public void Removing_a_temp_file_refuses_other_paths()
    {
        using var store = NewStore();
        store.Write(Entry());
        Assert.Throws<ArgumentException>(() => store.RemoveTemporaryFile(Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"))));
        Assert.Throws<ArgumentException>(() => store.RemoveTemporaryFile(Path.Combine(_tmp.Root, "." + CacheFileName.KeyFor("bob") + ".00.tmp")));
        Assert.IsType<ReadOutcome.Found>(store.Read("bob"));
    }

    [Fact]
    public void Quarantine_moves_the_file_without_destroying_it()
    {
        using var store = NewStore();
        store.Write(Entry());
        var key = CacheFileName.KeyFor("bob");
        var original = File.ReadAllBytes(Path.Combine(_tmp.CacheDir, key + ".cred"));

        var moved = store.Quarantine(key);

        Assert.Equal(Path.Combine(_tmp.CacheDir, "quarantine"), Path.GetDirectoryName(moved));
        Assert.StartsWith(key + ".cred.20010203T040506Z", Path.GetFileName(moved));
        Assert.Equal(original, File.ReadAllBytes(moved));
        Assert.Equal((UnixFileMode)0b111_000_000, File.GetUnixFileMode(Path.GetDirectoryName(moved)!));
        Assert.Same(ReadOutcome.NotFound.Instance, store.Read("bob"));
        Assert.Empty(store.Enumerate());

        store.Write(Entry());
        var second = store.Quarantine(key); // same second: a distinct name, the first is kept
        Assert.NotEqual(moved, second);
        Assert.True(File.Exists(moved));
        Assert.Throws<CredentialStoreException>(() => store.Quarantine(key));
    }

    [Fact]
    public void Delete_zeroes_the_bytes_before_unlinking()
    {
        using var store = NewStore();
        store.Write(Entry());
        var path = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("bob"));
        var length = new FileInfo(path).Length;
        var link = Path.Combine(_tmp.Root, "hardlink");
        Assert.Equal(0, Run("ln", path, link)); // a second name for the same inode survives the unlink

        Assert.True(store.Delete("bob"));

        Assert.False(File.Exists(path));
        var remains = File.ReadAllBytes(link);
        Assert.Equal(length, remains.Length);
        Assert.All(remains, b => Assert.Equal(0, b));
        Assert.False(store.Delete("bob"));
        Assert.False(store.DeleteByKey(CacheFileName.KeyFor("bob")));
    }

    [Fact]
    public void Enumerate_lists_only_entry_files()
    {
        using var store = NewStore();
        store.Write(Entry("bob"));
        store.Write(Entry("carol"));
        File.WriteAllText(Path.Combine(_tmp.CacheDir, ".cred_salt"), "x");
        File.WriteAllText(Path.Combine(_tmp.CacheDir, "notakey.cred"), "x");
        File.WriteAllText(Path.Combine(_tmp.CacheDir, CacheFileName.KeyFor("dave").ToUpperInvariant() + ".cred"), "x");
        File.WriteAllText(Path.Combine(_tmp.CacheDir, CacheFileName.NewTemporaryName(CacheFileName.KeyFor("erin"))), "x");
        using var held = DirectoryLock.Acquire(_tmp.CacheDir);

        var keys = store.Enumerate().Select(f => f.Key).Order().ToArray();

        Assert.Equal(new[] { CacheFileName.KeyFor("bob"), CacheFileName.KeyFor("carol") }.Order().ToArray(), keys);
        Assert.All(store.Enumerate(), f => Assert.True(f.Length > 36));
    }

    [Fact]
    public void Symlinked_entries_are_neither_listed_nor_followed()
    {
        using var store = NewStore();
        store.Write(Entry("mallory"));
        var real = Path.Combine(_tmp.CacheDir, CacheFileName.FileName("mallory"));
        var outside = Path.Combine(_tmp.Root, "outside.cred");
        File.Move(real, outside);
        File.CreateSymbolicLink(Path.Combine(_tmp.CacheDir, CacheFileName.FileName("mallory")), outside);

        Assert.Empty(store.Enumerate());
        Assert.Equal(ReadFailure.IoError, Assert.IsType<ReadOutcome.Unreadable>(store.Read("mallory")).Failure);
        Assert.True(store.Delete("mallory"));  // removes the link only
        Assert.NotEqual(0, File.ReadAllBytes(outside)[0]);
    }

    [Fact]
    public void Key_based_operations_refuse_invalid_keys()
    {
        using var store = NewStore();
        Assert.Throws<ArgumentException>(() => store.ReadByKey("../../etc/shadow"));
        Assert.Throws<ArgumentException>(() => store.DeleteByKey("ABC"));
        Assert.Throws<ArgumentException>(() => store.Quarantine(""));
    }

    [Fact]
    public void The_directory_lock_excludes_a_second_holder_in_this_process_and_in_another()
    {
        Directory.CreateDirectory(_tmp.CacheDir);
        var lockFile = Path.Combine(_tmp.CacheDir, DirectoryLock.FileName);

        Assert.True(DirectoryLock.TryAcquire(_tmp.CacheDir, out var first));
        using (first)
        {
            Assert.False(DirectoryLock.TryAcquire(_tmp.CacheDir, out var second));
            Assert.Null(second);
            Assert.Throws<CredentialStoreException>(() => DirectoryLock.Acquire(_tmp.CacheDir));
            Assert.Equal(1, Run("flock", "-n", lockFile, "true"));
        }

        Assert.Equal(0, Run("flock", "-n", lockFile, "true"));
        using var again = DirectoryLock.Acquire(_tmp.CacheDir);
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(lockFile));
    }

    private static int Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
