using OpenBastion.Admin.Tests.Support;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Admin.Tests;

/// <summary>
/// Issue 11: the cache commands give the same answers and leave the same files whichever path serves them —
/// through the daemon (its actors) or directly (daemon stopped, directory lock): both call Engine's CacheMaintenance.
/// </summary>
public abstract class CacheCommandTests : IAsyncLifetime
{
    private readonly AdminSandbox Sandbox = AdminSandbox.Create();
    private TestDaemon? _daemon;

    /// <summary>True: a daemon serves the commands; false: the tool works on the files.</summary>
    protected abstract bool ThroughDaemon { get; }

    public async Task InitializeAsync()
    {
        Sandbox.SeedMixed(); // alice active, bob locked (3 failures, 120 s), carol expired, mallory unreadable
        if (ThroughDaemon) _daemon = await TestDaemon.StartAsync(Sandbox);
    }

    public async Task DisposeAsync()
    {
        if (_daemon is not null) await _daemon.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

    private void AssertPath(string command)
    {
        var served = Sandbox.Logs.Lines.Any(l => l.Contains($"admin request {command}", StringComparison.Ordinal));
        Assert.Equal(ThroughDaemon, served);
    }

    [Fact]
    public async Task Unlock_clears_the_lock_and_says_how_many_failures()
    {
        var run = await Sandbox.RunAsync("unlock", "bob");
        Assert.Equal(0, run.Code);
        Assert.Equal("user 'bob' unlocked (3 failed attempts cleared)\n", run.Out);
        AssertPath("Unlock");
        var again = await Sandbox.RunAsync("unlock", "bob");
        Assert.Equal("user 'bob' was not locked; 0 failed attempts cleared\n", again.Out);
        Assert.Contains("Status:          ACTIVE\n", (await Sandbox.RunAsync("show", "bob")).Out);

        Assert.Equal(1, (await Sandbox.RunAsync("unlock", "nobody")).Code);
        var unreadable = await Sandbox.RunAsync("unlock", "mallory");
        Assert.Equal(74, unreadable.Code);
        Assert.Equal("ob-cache-admin: cache entry for user 'mallory' is unreadable (BadMagic); 'cleanup' sets it aside, 'invalidate mallory' removes it\n", unreadable.Err);
    }

    [Theory]
    [InlineData("invalidate")]
    [InlineData("clear-user")]
    public async Task Invalidate_removes_the_entry_once(string command)
    {
        var run = await Sandbox.RunAsync(command, "alice");
        Assert.Equal(0, run.Code);
        Assert.Equal("cache entry for user 'alice' removed\n", run.Out);
        Assert.False(File.Exists(Sandbox.EntryFile("alice")));
        Assert.True(File.Exists(Sandbox.EntryFile("bob")));
        var again = await Sandbox.RunAsync(command, "alice");
        Assert.Equal(1, again.Code);
        Assert.Equal("ob-cache-admin: no cache entry for user 'alice'\n", again.Err);
        AssertPath("Invalidate");
    }

    [Fact]
    public async Task Show_and_list_give_the_same_statuses()
    {
        Assert.Contains("Status:          LOCKED\n", (await Sandbox.RunAsync("show", "bob")).Out);
        Assert.Contains("Status:          EXPIRED\n", (await Sandbox.RunAsync("show", "carol")).Out);
        var unreadable = await Sandbox.RunAsync("show", "mallory");
        Assert.Equal(74, unreadable.Code);
        Assert.StartsWith("ob-cache-admin: cache entry for user 'mallory' is unreadable (BadMagic)", unreadable.Err);
        Assert.Equal(1, (await Sandbox.RunAsync("show", "nobody")).Code);
        var list = await Sandbox.RunAsync("-q", "list");
        Assert.Equal(0, list.Code);
        var statuses = list.Out.TrimEnd('\n').Split('\n').Select(l => l.Split('\t')[1]).Order().ToList();
        Assert.Equal(["ACTIVE", "EXPIRED", "LOCKED", "UNREADABLE"], statuses);
    }

    [Fact]
    public async Task Expire_removes_only_expired_entries()
    {
        var run = await Sandbox.RunAsync("expire");
        Assert.Equal(0, run.Code);
        Assert.Equal("4 entries scanned: 1 expired removed\n", run.Out);
        Assert.False(File.Exists(Sandbox.EntryFile("carol")));
        Assert.True(File.Exists(Sandbox.EntryFile("alice")));
        Assert.True(File.Exists(Sandbox.EntryFile("bob")));
        Assert.True(File.Exists(Sandbox.EntryFile("mallory"))); // unreadable entries are cleanup's business
        AssertPath("Expire");
    }

    [Fact]
    public async Task Cleanup_removes_expired_temporary_and_empty_files_and_sets_unreadable_entries_aside()
    {
        var temp = Path.Combine(Sandbox.CacheDir, CacheFileName.NewTemporaryName(CacheFileName.KeyFor("alice")));
        File.WriteAllBytes(temp, [1, 2, 3]);
        File.SetLastWriteTimeUtc(temp, AdminSandbox.Start.UtcDateTime.AddHours(-1)); // left by a write long before "now"
        File.WriteAllBytes(Sandbox.EntryFile("empty"), []);

        var run = await Sandbox.RunAsync("cleanup");
        Assert.Equal(0, run.Code);
        Assert.Equal("5 entries scanned: 1 expired removed, 1 temporary files removed, 1 empty files removed, 1 unreadable set aside in quarantine/\n", run.Out);
        Assert.False(File.Exists(temp));
        Assert.False(File.Exists(Sandbox.EntryFile("empty")));
        Assert.False(File.Exists(Sandbox.EntryFile("mallory")));
        Assert.False(File.Exists(Sandbox.EntryFile("carol")));
        Assert.Single(Directory.GetFiles(Path.Combine(Sandbox.CacheDir, CredentialStore.QuarantineFolder)));
        Assert.True(File.Exists(Sandbox.EntryFile("alice")));
        Assert.True(File.Exists(Sandbox.EntryFile("bob")));
        AssertPath("Cleanup");
    }
}

/// <summary>The cache commands through the running daemon.</summary>
public sealed class CacheCommandsThroughTheDaemon : CacheCommandTests
{
    protected override bool ThroughDaemon => true;
}

/// <summary>The cache commands with the daemon stopped.</summary>
public sealed class CacheCommandsDirectly : CacheCommandTests
{
    protected override bool ThroughDaemon => false;
}
