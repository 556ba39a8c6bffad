using System.Security.Cryptography;
using OpenBastion.Admin.Tests.Support;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Admin.Tests;

/// <summary>
/// Issue 10 item 4 through the admin tool: <c>rekey</c> (daemon and direct), the recovery form, and the
/// cache key line of <c>status</c> / <c>stats</c> after a key change (nothing quarantined; restoring the key
/// restores service).
/// </summary>
public sealed class RekeyAndKeyCheckTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();
    private TestDaemon? _daemon;

    private string KeyFile => _sandbox.Settings().OfflineCacheKeyFile;

    public Task InitializeAsync()
    {
        WriteKeyFile(RandomNumberGenerator.GetBytes(32));
        _sandbox.Seed(s =>
        {
            s.Active("alice", "pw-alice");
            s.Active("bob", "pw-bob");
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private void WriteKeyFile(byte[] bytes)
    {
        File.WriteAllBytes(KeyFile, bytes);
        File.SetUnixFileMode(KeyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private byte[] CurrentKey()
    {
        using var key = CacheKeyDerivation.Derive(_sandbox.Settings());
        return key.Bytes.ToArray();
    }

    private void AssertEntriesReadUnder(byte[] key, bool readable)
    {
        using var store = new CredentialStore(_sandbox.CacheDir, key, _sandbox.Time);
        foreach (var user in new[] { "alice", "bob" })
            if (readable) Assert.IsType<ReadOutcome.Found>(store.Read(user));
            else Assert.Equal(ReadFailure.AuthenticationFailed, Assert.IsType<ReadOutcome.Unreadable>(store.Read(user)).Failure);
    }

    private async Task StartDaemonAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        _daemon = await TestDaemon.StartAsync(_sandbox);
    }

    [Fact]
    public async Task Rekey_through_the_daemon_re_encrypts_every_entry_and_logins_go_on_without_a_re_login()
    {
        var oldKey = CurrentKey();
        var oldFile = File.ReadAllBytes(KeyFile);
        await StartDaemonAsync();

        var run = await _sandbox.RunAsync("rekey");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("2 entries re-encrypted, 0 already under the current key\n", run.Out);
        Assert.Contains(_sandbox.Logs.Lines, l => l.Contains("admin request Rekey", StringComparison.Ordinal));

        Assert.NotEqual(oldFile, File.ReadAllBytes(KeyFile));
        Assert.False(File.Exists(KeyFileRotation.OldPath(KeyFile)));
        AssertEntriesReadUnder(CurrentKey(), readable: true);
        AssertEntriesReadUnder(oldKey, readable: false);

        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        var login = await _sandbox.RunAsync(["auth", "alice"], "pw-alice\n");
        Assert.True(login.Code == 0, login.ToString());
        Assert.StartsWith("success (offline)", login.Out);

        // After a restart on the new key file, the cache is still whole and the marker matches.
        await StartDaemonAsync();
        var status = await _sandbox.RunAsync("status");
        Assert.Contains("Cache key: OK\n", status.Out);
        Assert.Equal(0, (await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n")).Code);
    }

    [Fact]
    public async Task Rekey_with_the_daemon_stopped_works_on_the_files_under_the_lock()
    {
        var oldKey = CurrentKey();
        var run = await _sandbox.RunAsync("rekey");
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("2 entries re-encrypted, 0 already under the current key\n", run.Out);
        Assert.False(File.Exists(KeyFileRotation.OldPath(KeyFile)));
        AssertEntriesReadUnder(CurrentKey(), readable: true);
        AssertEntriesReadUnder(oldKey, readable: false);

        var stats = await _sandbox.RunAsync("stats");
        Assert.Contains("Cache key:         OK\n", stats.Out);
    }

    [Fact]
    public async Task A_rekey_left_unfinished_is_never_overwritten_by_the_next_one()
    {
        File.WriteAllBytes(KeyFileRotation.OldPath(KeyFile), RandomNumberGenerator.GetBytes(32));
        var before = File.ReadAllBytes(KeyFile);
        var run = await _sandbox.RunAsync("rekey");
        Assert.Equal(78, run.Code);
        Assert.Contains("--from-key-file", run.Err);
        Assert.Equal(before, File.ReadAllBytes(KeyFile));
    }

    [Fact]
    public async Task After_a_key_change_status_says_mismatch_nothing_is_quarantined_and_restoring_the_key_restores_service()
    {
        var original = File.ReadAllBytes(KeyFile);
        var saved = Path.Combine(_sandbox.Root, "saved.key");
        File.Copy(KeyFile, saved);
        File.Delete(KeyFile); // the key file went missing: the key now derives from the machine-id alone

        await StartDaemonAsync();
        var status = await _sandbox.RunAsync("status");
        Assert.Equal(0, status.Code);
        Assert.Contains("Cache key: MISMATCH — ", status.Out);
        Assert.Contains("rekey --from-key-file OLD", status.Out);
        var stats = await _sandbox.RunAsync("stats");
        Assert.Contains("Cache key:         MISMATCH", stats.Out);

        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        var login = await _sandbox.RunAsync(["auth", "alice"], "pw-alice\n");
        Assert.Equal(1, login.Code);
        Assert.StartsWith("refused: Unavailable", login.Out);
        Assert.NotEqual(0, (await _sandbox.RunAsync("cleanup")).Code);
        Assert.NotEqual(0, (await _sandbox.RunAsync("unlock", "alice")).Code);
        Assert.False(Directory.Exists(Path.Combine(_sandbox.CacheDir, CredentialStore.QuarantineFolder)));
        Assert.True(File.Exists(_sandbox.EntryFile("alice")));
        Assert.True(File.Exists(_sandbox.EntryFile("bob")));

        // The operator restores the key file and restarts: every entry is intact.
        WriteKeyFile(original);
        await StartDaemonAsync();
        Assert.Contains("Cache key: OK\n", (await _sandbox.RunAsync("status")).Out);
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        Assert.Equal(0, (await _sandbox.RunAsync(["auth", "alice"], "pw-alice\n")).Code);
    }

    [Fact]
    public async Task The_recovery_form_brings_the_entries_back_under_the_current_key_material_through_the_daemon()
    {
        var saved = Path.Combine(_sandbox.Root, "saved.key");
        File.Copy(KeyFile, saved);
        File.SetUnixFileMode(saved, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteKeyFile(RandomNumberGenerator.GetBytes(32)); // the key file was replaced by mistake

        await StartDaemonAsync();
        Assert.Contains("MISMATCH", (await _sandbox.RunAsync("status")).Out);
        var plain = await _sandbox.RunAsync("rekey");
        Assert.Equal(78, plain.Code); // a plain rekey of a frozen cache would change nothing: refused

        var run = await _sandbox.RunAsync("rekey", "--from-key-file", saved);
        Assert.True(run.Code == 0, run.ToString());
        Assert.Equal("2 entries re-encrypted, 0 already under the current key\n", run.Out);
        Assert.Contains("Cache key: OK\n", (await _sandbox.RunAsync("status")).Out);
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        Assert.Equal(0, (await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n")).Code);
        AssertEntriesReadUnder(CurrentKey(), readable: true);
    }

    [Fact]
    public async Task The_recovery_form_works_with_the_daemon_stopped_and_reports_entries_it_cannot_open()
    {
        var saved = Path.Combine(_sandbox.Root, "saved.key");
        File.Copy(KeyFile, saved);
        File.SetUnixFileMode(saved, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        WriteKeyFile(RandomNumberGenerator.GetBytes(32));
        _sandbox.Seed(s => s.Active("carol", "pw-carol")); // under the new key already
        using (var stranger = new CredentialStore(_sandbox.CacheDir, RandomNumberGenerator.GetBytes(32), _sandbox.Time))
            stranger.Write(new CredentialEntry { User = "zed", PasswordHash = new byte[32], Salt = new byte[16], CreatedAt = 1, ExpiresAt = 2 });

        Assert.Contains("MISMATCH", (await _sandbox.RunAsync("stats")).Out);
        var run = await _sandbox.RunAsync("rekey", "--from-key-file", saved);
        Assert.True(run.Code == 0, run.ToString());
        Assert.StartsWith("2 entries re-encrypted, 1 already under the current key, 1 decrypt under no key tried and were left untouched", run.Out);
        AssertEntriesReadUnder(CurrentKey(), readable: true);
        Assert.True(File.Exists(_sandbox.EntryFile("zed")));
    }
}

/// <summary>Issue 10 item 7: the timing pad of a not-cached answer is never an entry for the operator.</summary>
public sealed class PadFileTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _sandbox.Seed(s => s.Active("alice", "pw-alice"));
        _daemon = await TestDaemon.StartAsync(_sandbox);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    [Fact]
    public async Task A_not_cached_answer_writes_the_pad_which_list_and_stats_never_count()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        var login = await _sandbox.RunAsync(["auth", "nobody"], "pw\n");
        Assert.Equal(1, login.Code);
        Assert.StartsWith("refused: NotCached", login.Out);
        Assert.True(File.Exists(Path.Combine(_sandbox.CacheDir, CredentialStore.PadFileName)));

        var list = await _sandbox.RunAsync("list", "-q");
        Assert.Equal("alice\tACTIVE", string.Join('\t', list.Out.Split('\t').Take(2)));
        Assert.Single(list.Out.TrimEnd('\n').Split('\n'));
        var stats = await _sandbox.RunAsync("stats", "-q");
        Assert.Contains("entries=1\n", stats.Out);
        Assert.Contains("disk_bytes=", stats.Out);
        Assert.Matches("(?m)^cache_key=ok$", stats.Out);
    }
}

/// <summary>Issue 10 item 6: with the daemon stopped, the tool judges expiry and locks on the daemon's high-water mark.</summary>
public sealed class DirectClockTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task An_entry_expired_at_the_persisted_mark_stays_expired_when_the_clock_is_behind_it()
    {
        _sandbox.Seed(s => s.Active("alice", "pw-alice")); // expires 23 h after the sandbox's "now"
        var mark = new byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(mark, AdminSandbox.Start.AddDays(2).UtcTicks);
        File.WriteAllBytes(Path.Combine(_sandbox.CacheDir, OpenBastion.Engine.Time.HighWaterClock.FileName), mark);

        var list = await _sandbox.RunAsync("list", "-q");
        Assert.True(list.Code == 0, list.ToString());
        Assert.StartsWith("alice\tEXPIRED\t", list.Out);
    }
}
