using OpenBastion.Admin.Tests.Support;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Admin.Tests;

/// <summary>Every command with the daemon stopped: the tool takes the directory lock and works on the files.</summary>
public sealed class DirectCommandTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();

    public Task InitializeAsync()
    {
        _sandbox.SeedMixed();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    private CredentialEntry? ReadEntry(string user)
    {
        using var key = CacheKeyDerivation.Derive(_sandbox.Settings());
        using var store = new CredentialStore(_sandbox.CacheDir, key.Bytes, _sandbox.Time);
        return store.Read(user) is ReadOutcome.Found f ? f.Entry : null;
    }

    [Fact]
    public async Task Show_prints_the_entry_without_its_verifier()
    {
        var run = await _sandbox.RunAsync("show", "bob");
        Assert.Equal(0, run.Code);
        Assert.Contains("User:            bob\n", run.Out);
        Assert.Contains("Status:          LOCKED\n", run.Out);
        Assert.Contains("Failed attempts: 3\n", run.Out);
        Assert.Contains("Locked until:    2026-01-15 10:02:00Z (2m00s left)\n", run.Out);
        Assert.Contains("Gecos:           bob Test\n", run.Out);
        Assert.Contains("Verifier:        Argon2id m=1024,t=1,p=1\n", run.Out);
        Assert.DoesNotContain("hash", run.Out, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Show_of_an_unknown_or_unreadable_user_is_one_line_and_non_zero()
    {
        var unknown = await _sandbox.RunAsync("show", "nobody");
        Assert.Equal(1, unknown.Code);
        Assert.Equal("ob-cache-admin: no cache entry for user 'nobody'\n", unknown.Err);
        Assert.Empty(unknown.Out);

        var unreadable = await _sandbox.RunAsync("show", "mallory");
        Assert.Equal(74, unreadable.Code);
        Assert.StartsWith("ob-cache-admin: cache entry for user 'mallory' is unreadable (BadMagic)", unreadable.Err);
        Assert.Single(unreadable.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Unlock_resets_the_lockout_and_restores_offline_login()
    {
        var run = await _sandbox.RunAsync("unlock", "bob");
        Assert.Equal(0, run.Code);
        Assert.Equal("user 'bob' unlocked (3 failed attempts cleared)\n", run.Out);
        var entry = ReadEntry("bob")!;
        Assert.Equal(0, entry.FailedAttempts);
        Assert.Equal(0, entry.LockedUntil);

        Assert.Equal(1, (await _sandbox.RunAsync("unlock", "nobody")).Code);

        // The daemon starts later: bob logs in offline with his cached password.
        await using var daemon = await TestDaemon.StartAsync(_sandbox);
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        var login = await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n");
        Assert.Equal(0, login.Code);
        Assert.StartsWith("success (offline)", login.Out);
    }

    [Fact]
    public async Task Invalidate_all_refuses_without_confirmation()
    {
        var noTerminal = await _sandbox.RunAsync("invalidate-all");
        Assert.Equal(1, noTerminal.Code);
        Assert.Contains("run it on a terminal to confirm, or add --yes; nothing removed", noTerminal.Err);

        var declined = await _sandbox.RunAsync(["clear"], "no\n", terminal: true);
        Assert.Equal(1, declined.Code);
        Assert.Contains("Type 'yes' to continue", declined.Err);
        Assert.Contains("not confirmed; nothing removed", declined.Err);

        Assert.Equal(4, Directory.GetFiles(_sandbox.CacheDir, "*.cred").Length);
        Assert.True(File.Exists(_sandbox.SaltFile));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Invalidate_all_confirmed_removes_every_entry_and_the_salt(bool onTerminal)
    {
        var run = onTerminal
            ? await _sandbox.RunAsync(["invalidate-all"], "yes\n", terminal: true)
            : await _sandbox.RunAsync("invalidate-all", "--yes");
        Assert.Equal(0, run.Code);
        Assert.StartsWith("4 cache entries removed; salt file .cred_salt removed", run.Out);
        Assert.Empty(Directory.GetFiles(_sandbox.CacheDir, "*.cred"));
        Assert.False(File.Exists(_sandbox.SaltFile));
    }

    [Fact]
    public async Task Config_shows_values_with_their_sources_and_masks_the_secret()
    {
        var run = await _sandbox.RunAsync("config");
        Assert.Equal(0, run.Code);
        Assert.Contains($"# configuration file: {_sandbox.ConfigFile}\n", run.Out);
        Assert.Contains($"offline_cache_dir = {_sandbox.CacheDir}  ({_sandbox.ConfigFile})\n", run.Out);
        Assert.Contains("offline_cache_ttl = 86400  (default)\n", run.Out);
        Assert.Contains($"client_secret = ***  ({_sandbox.ConfigFile})\n", run.Out);
        Assert.DoesNotContain("s3cret", run.Out);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("offline")]
    [InlineData("online")]
    [InlineData("auto")]
    [InlineData("auth", "alice")]
    public async Task Daemon_only_commands_say_the_daemon_is_needed(params string[] args)
    {
        var run = await _sandbox.RunAsync(args, "pw\n");
        Assert.Equal(69, run.Code);
        Assert.Equal($"ob-cache-admin: '{args[0]}' needs the obactors daemon, which is not running (nothing answers on {_sandbox.SocketPath})\n", run.Err);
    }

    [Fact]
    public async Task A_missing_cache_directory_is_one_line_and_exit_74()
    {
        var missing = Path.Combine(_sandbox.Root, "nowhere");
        var run = await _sandbox.RunAsync("-d", missing, "list");
        Assert.Equal(74, run.Code);
        Assert.Equal($"ob-cache-admin: cache directory {missing} does not exist\n", run.Err);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task A_lock_held_without_a_daemon_answering_is_explained_with_exit_75()
    {
        using var held = DirectoryLock.Acquire(_sandbox.CacheDir);
        var run = await _sandbox.RunAsync("list");
        Assert.Equal(75, run.Code);
        Assert.Contains($"is locked by another process, but the daemon's socket {_sandbox.SocketPath} does not answer", run.Err);
        Assert.Single(run.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task Without_a_salt_file_entries_read_as_unreadable_and_no_salt_is_created()
    {
        File.Delete(_sandbox.SaltFile);
        var run = await _sandbox.RunAsync("-q", "list");
        Assert.Equal(0, run.Code);
        Assert.All(run.Out.TrimEnd('\n').Split('\n'), line => Assert.Contains("\tUNREADABLE\t", line));
        Assert.False(File.Exists(_sandbox.SaltFile));
    }
}
