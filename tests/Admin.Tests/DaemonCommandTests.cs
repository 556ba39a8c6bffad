using System.Net.Sockets;
using OpenBastion.Admin.Tests.Support;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Admin.Tests;

/// <summary>Every command with the daemon running: the tool goes through the socket, the daemon through its actors.</summary>
public sealed class DaemonCommandTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();
    private TestDaemon _daemon = null!;

    public async Task InitializeAsync()
    {
        _sandbox.SeedMixed();
        _daemon = await TestDaemon.StartAsync(_sandbox);
    }

    public async Task DisposeAsync()
    {
        await _daemon.DisposeAsync();
        await _sandbox.DisposeAsync();
    }

    private bool Served(string command) => _sandbox.Logs.Lines.Any(l => l.Contains($"admin request {command}", StringComparison.Ordinal));

    [Fact]
    public async Task Show_goes_through_the_users_actor()
    {
        var run = await _sandbox.RunAsync("show", "alice");
        Assert.Equal(0, run.Code);
        Assert.Contains("Status:          ACTIVE\n", run.Out);
        Assert.Contains("Home:            /home/alice\n", run.Out);
        Assert.True(Served("Show"));

        Assert.Equal(1, (await _sandbox.RunAsync("show", "nobody")).Code);
        var unreadable = await _sandbox.RunAsync("show", "mallory");
        Assert.Equal(74, unreadable.Code);
        Assert.Contains("is unreadable", unreadable.Err);
    }

    [Fact]
    public async Task Unlock_restores_login_for_a_locked_user_while_offline()
    {
        var offline = await _sandbox.RunAsync("offline");
        Assert.Equal(0, offline.Code);
        Assert.StartsWith("offline (forced by ob-cache-admin (pid", offline.Out);

        var refused = await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n");
        Assert.Equal(1, refused.Code);
        Assert.StartsWith("refused: Locked (offline): Account locked (offline mode): try again in 120 seconds", refused.Out);

        var unlock = await _sandbox.RunAsync("unlock", "bob");
        Assert.Equal(0, unlock.Code);
        Assert.Equal("user 'bob' unlocked (3 failed attempts cleared)\n", unlock.Out); // issue 11: the direct path's wording

        var login = await _sandbox.RunAsync(["auth", "bob"], "pw-bob\n");
        Assert.Equal(0, login.Code);
        Assert.StartsWith("success (offline): Authenticated with cached credentials (offline mode)", login.Out);
        Assert.Equal(1, (await _sandbox.RunAsync("unlock", "nobody")).Code);
    }

    [Fact]
    public async Task Invalidate_during_that_users_authentication_leaves_no_entry_behind()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("invalidate", "alice")).Code);
        _sandbox.Portal.Knows("alice", "pw-alice");
        _sandbox.Portal.Mode = PortalMode.Slow;
        Assert.Equal(0, (await _sandbox.RunAsync("online")).Code);

        // The online login is in progress (LLNG has not answered); an operator invalidates alice meanwhile.
        var login = _sandbox.RunAsync(["auth", "alice"], "pw-alice\n");
        Assert.Equal("alice", await _sandbox.Portal.CallStarted.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        var invalidateSent = _sandbox.Logs.WhenLogged("admin request Invalidate alice");
        var invalidate = _sandbox.RunAsync("invalidate", "alice");
        await invalidateSent.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.False(invalidate.IsCompleted); // waits behind the authentication, in alice's actor

        _sandbox.Portal.Answer();
        var loginRun = await login;
        var invalidateRun = await invalidate;
        Assert.Equal(0, loginRun.Code);
        Assert.StartsWith("success:", loginRun.Out);
        // Served after the login wrote its fresh entry: it found it and removed it.
        Assert.Equal(0, invalidateRun.Code);
        Assert.Equal("cache entry for user 'alice' removed\n", invalidateRun.Out);
        Assert.False(File.Exists(_sandbox.EntryFile("alice")));
        Assert.Equal(1, (await _sandbox.RunAsync("show", "alice")).Code);
    }

    [Fact]
    public async Task Invalidate_all_refuses_without_confirmation_then_removes_every_entry()
    {
        var refused = await _sandbox.RunAsync("invalidate-all");
        Assert.Equal(1, refused.Code);
        Assert.Equal(4, Directory.GetFiles(_sandbox.CacheDir, "*.cred").Length);
        Assert.False(Served("InvalidateAll"));

        var run = await _sandbox.RunAsync("clear", "--yes");
        Assert.Equal(0, run.Code);
        Assert.StartsWith("4 cache entries removed; the salt file .cred_salt is kept while obactors runs", run.Out);
        Assert.Empty(Directory.GetFiles(_sandbox.CacheDir, "*.cred"));
        Assert.True(File.Exists(_sandbox.SaltFile));
    }

    [Fact]
    public async Task Config_is_the_daemons_effective_configuration()
    {
        var run = await _sandbox.RunAsync("config");
        Assert.Equal(0, run.Code);
        Assert.Contains($"socket_path = {_sandbox.SocketPath}  ({_sandbox.ConfigFile})\n", run.Out);
        Assert.Contains("argon2_memory_kib = 1024", run.Out); // the daemon's own settings, not the file's
        Assert.DoesNotContain("s3cret", run.Out);
    }

    [Fact]
    public async Task Status_offline_online_and_release()
    {
        var offline = await _sandbox.RunAsync("offline");
        Assert.Equal(0, offline.Code);
        var status = await _sandbox.RunAsync("-q", "status");
        Assert.Equal("offline\n", status.Out);

        var online = await _sandbox.RunAsync("online");
        Assert.Equal(0, online.Code);
        Assert.StartsWith("online (forced by ob-cache-admin", online.Out);

        _sandbox.Portal.Mode = PortalMode.Refuse;
        var released = await _sandbox.RunAsync("online", "--clear");
        Assert.Equal(0, released.Code);
        Assert.DoesNotContain("forced", released.Out);
        Assert.True(Served("ClearForce"));
        Assert.Equal(0, (await _sandbox.RunAsync("auto")).Code);
        Assert.Equal(0, (await _sandbox.RunAsync("status")).Code);
    }

    [Fact]
    public async Task Auth_with_a_wrong_password_is_a_negative_answer_and_the_password_is_never_logged()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);
        var run = await _sandbox.RunAsync(["auth", "alice", "--password-stdin"], "not-her-password\n", terminal: true);
        Assert.Equal(1, run.Code);
        Assert.StartsWith("refused: WrongPassword (offline)", run.Out);
        Assert.DoesNotContain(_sandbox.Logs.Lines, l => l.Contains("not-her-password", StringComparison.Ordinal));

        var quiet = await _sandbox.RunAsync(["-q", "auth", "nobody"], "x\n");
        Assert.Equal(1, quiet.Code);
        Assert.Equal("NOTCACHED\n", quiet.Out);
    }

    [Fact]
    public async Task Password_stdin_is_read_as_bytes_never_through_the_text_reader()
    {
        Assert.Equal(0, (await _sandbox.RunAsync("offline")).Code);

        // Any read of the password as text (a string) fails this test.
        var run = await _sandbox.RunAsync(["auth", "alice", "--password-stdin"], "pw-alice\r\n", textIn: new RefusingReader());

        Assert.Equal(0, run.Code);
        Assert.StartsWith("success (offline)", run.Out); // the CR of a CRLF line is not part of the password
    }

    private sealed class RefusingReader : TextReader
    {
        public override int Peek() => throw new InvalidOperationException("the password was read as text");
        public override int Read() => throw new InvalidOperationException("the password was read as text");
    }

    [Fact]
    public async Task A_peer_that_is_not_the_admin_uid_is_refused()
    {
        await _daemon.DisposeAsync();
        _daemon = await TestDaemon.StartAsync(_sandbox, adminUid: AdminSandbox.EffectiveUid + 1);
        var run = await _sandbox.RunAsync("list");
        Assert.Equal(77, run.Code);
        Assert.Equal("ob-cache-admin: the obactors daemon refused the request: admin requests are for root only\n", run.Err);
    }

    [Fact]
    public async Task A_malformed_admin_frame_gets_an_error_frame()
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(_sandbox.SocketPath));
        await using var stream = new NetworkStream(socket);
        // ADMIN_REQUEST "show" without its user argument.
        var frame = new byte[] { 0, 0, 0, 3, BridgeProtocol.Version, (byte)FrameType.AdminRequest, (byte)AdminCommand.Show };
        await stream.WriteAsync(frame);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var result = await FrameReader.ReadFrameAsync(stream, guard.Token);
        var error = Assert.IsType<ErrorFrame>(result.Frame);
        Assert.Equal(BridgeErrorCode.Malformed, error.Code);
    }

    [Fact]
    public async Task Another_cache_directory_is_worked_on_directly_even_while_the_daemon_runs()
    {
        var other = Path.Combine(_sandbox.Root, "other-cache");
        Directory.CreateDirectory(other);
        var run = await _sandbox.RunAsync("-d", other, "stats");
        Assert.Equal(0, run.Code);
        Assert.Contains($"Cache directory:   {other}\n", run.Out);
        Assert.Contains("Daemon:            not used", run.Out);
    }
}
