using System.Buffers.Binary;
using OpenBastion.Wire;
using OpenBastion.Engine.Native;

namespace OpenBastion.Host.Tests;

public sealed class BridgeListenerTests
{
    [Fact]
    public async Task A_valid_request_reaches_the_user_registry_and_gets_the_mapped_response()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        await client.SendAsync(BridgeClient.Request("offline", "s3cret-pass", timeoutMs: 7000, service: "sshd", rhost: "10.0.0.7"));
        var response = await client.ReceiveAsync<AuthResponseFrame>();

        Assert.Equal(BridgeStatus.Success, response.Status);
        Assert.True(response.Offline);
        Assert.Equal(6u * 3600, response.Seconds);
        Assert.Equal(("Doctor Who", "/bin/zsh", "/home/dwho"), (response.Gecos, response.Shell, response.Home));

        var seen = Assert.Single(f.Seen);
        Assert.Equal(("offline", "sshd", "10.0.0.7"), (seen.User, seen.Service, seen.RemoteHost));
        Assert.Null(seen.Tty); // empty on the wire = not given
        Assert.True(seen.AllowOffline);
        Assert.Equal(f.Time.GetUtcNow() + TimeSpan.FromMilliseconds(7000), seen.Deadline);
        Assert.Equal("s3cret-pass", Assert.Single(f.Passwords));
    }

    [Fact]
    public async Task Several_requests_may_share_one_connection()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        await client.SendAsync(BridgeClient.Request("wrong"));
        Assert.Equal(BridgeStatus.WrongPassword, (await client.ReceiveAsync<AuthResponseFrame>()).Status);
        await client.SendAsync(BridgeClient.Request("locked"));
        var locked = await client.ReceiveAsync<AuthResponseFrame>();
        Assert.Equal((BridgeStatus.Locked, 120u), (locked.Status, locked.Seconds));
        Assert.Contains("120 seconds", locked.Message);

        client.ShutdownSend();
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task An_oversize_header_gets_TOO_LARGE_and_the_connection_is_closed()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        await client.SendRawAsync(Header(BridgeProtocol.MaxBody + 1));

        var error = await client.ReceiveAsync<ErrorFrame>();
        Assert.Equal(BridgeErrorCode.TooLarge, error.Code);
        Assert.True(await client.IsClosedByPeerAsync());
        Assert.Empty(f.Seen);
    }

    [Fact]
    public async Task A_zero_length_header_gets_TOO_LARGE()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        await client.SendRawAsync(Header(0));

        Assert.Equal(BridgeErrorCode.TooLarge, (await client.ReceiveAsync<ErrorFrame>()).Code);
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task A_malformed_body_gets_MALFORMED_and_the_connection_is_closed()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        // version 1, AUTH_REQUEST, flags, timeout, then a user string announced as 200 bytes with 3 present.
        byte[] body = [1, 0x01, 1, 0, 0, 0x27, 0x10, 0, 200, (byte)'b', (byte)'o', (byte)'b'];
        await client.SendRawAsync([.. Header(body.Length), .. body]);

        Assert.Equal(BridgeErrorCode.Malformed, (await client.ReceiveAsync<ErrorFrame>()).Code);
        Assert.True(await client.IsClosedByPeerAsync());
        Assert.Empty(f.Seen);
    }

    [Fact]
    public async Task A_wrong_version_gets_BAD_VERSION_and_an_unknown_type_BAD_TYPE()
    {
        await using var f = await ListenerFixture.StartAsync();

        await using (var client = await f.ConnectAsync())
        {
            await client.SendRawAsync([.. Header(2), 2, 0x01]);
            Assert.Equal(BridgeErrorCode.BadVersion, (await client.ReceiveAsync<ErrorFrame>()).Code);
        }
        await using (var client = await f.ConnectAsync())
        {
            await client.SendRawAsync([.. Header(2), 1, 0x55]);
            Assert.Equal(BridgeErrorCode.BadType, (await client.ReceiveAsync<ErrorFrame>()).Code);
        }
        await using (var client = await f.ConnectAsync())
        {
            // A well-formed frame the daemon does not serve (a response sent to it).
            await client.SendAsync(new AuthResponseFrame(BridgeStatus.Success, false, 0, "hi"));
            Assert.Equal(BridgeErrorCode.BadType, (await client.ReceiveAsync<ErrorFrame>()).Code);
        }
    }

    [Fact]
    public async Task A_truncated_frame_then_end_of_stream_is_closed_and_the_next_client_is_served()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using (var client = await f.ConnectAsync())
        {
            await client.SendRawAsync([.. Header(40), 1, 0x01, 1]);
            client.ShutdownSend();
            Assert.True(await client.IsClosedByPeerAsync());
        }

        await using var next = await f.ConnectAsync();
        await next.SendAsync(BridgeClient.Request("online"));
        Assert.Equal(BridgeStatus.Success, (await next.ReceiveAsync<AuthResponseFrame>()).Status);
    }

    [Fact]
    public async Task A_slow_loris_peer_gets_TIMEOUT_once_the_frame_bound_has_passed()
    {
        await using var f = await ListenerFixture.StartAsync(o => o with { FrameTimeout = TimeSpan.FromMilliseconds(200) });
        await using var client = await f.ConnectAsync();

        await client.SendRawAsync(0x00); // one byte of the header, then nothing
        Assert.False(client.HasSomethingToRead(TimeSpan.FromMilliseconds(300))); // the virtual clock has not moved

        // Move the virtual clock past the bound until the connection's timer exists and fires.
        for (var i = 0; i < 100 && !client.HasSomethingToRead(TimeSpan.FromMilliseconds(50)); i++)
            f.Time.Advance(f.Options.FrameTimeout);

        Assert.Equal(BridgeErrorCode.Timeout, (await client.ReceiveAsync<ErrorFrame>()).Code);
        Assert.True(await client.IsClosedByPeerAsync());
    }

    [Fact]
    public async Task The_socket_is_created_0666_in_a_0755_directory()
    {
        await using var f = await ListenerFixture.StartAsync();

        var socket = FileStatus.Of(f.SocketPath);
        Assert.Equal(FileKind.Socket, socket.Kind);
        Assert.Equal((UnixFileMode)0b110_110_110, socket.Permissions); // every local user may connect; PeerPolicy decides
        var directory = FileStatus.Of(Path.GetDirectoryName(f.SocketPath)!);
        Assert.Equal((UnixFileMode)0b111_101_101, directory.Permissions);
    }

    [Fact]
    public async Task Stopping_removes_the_socket_file()
    {
        var f = await ListenerFixture.StartAsync();
        await f.Listener.StopAsync(CancellationToken.None);
        Assert.Equal(FileKind.Missing, FileStatus.Of(f.SocketPath).Kind);
        await f.DisposeAsync();
    }

    [Fact]
    public async Task A_stale_socket_is_replaced_but_a_regular_file_is_never_removed()
    {
        var root = Directory.CreateTempSubdirectory("obactors-host-").FullName;
        try
        {
            var stale = Path.Combine(root, "stale.sock");
            using (var dead = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0))
                dead.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(stale)); // bound, never listening: stale
            await using (var f = await ListenerFixture.StartAsync(o => o with { SocketPath = stale }))
            {
                await using var client = await f.ConnectAsync();
                await client.SendAsync(BridgeClient.Request("online"));
                Assert.Equal(BridgeStatus.Success, (await client.ReceiveAsync<AuthResponseFrame>()).Status);
            }

            var regular = Path.Combine(root, "regular.sock");
            await File.WriteAllTextAsync(regular, "precious");
            var ex = await Assert.ThrowsAsync<StartupException>(() => ListenerFixture.StartAsync(o => o with { SocketPath = regular }));
            Assert.Equal(ExitCodes.CannotCreate, ex.ExitCode);
            Assert.Equal("precious", await File.ReadAllTextAsync(regular));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task A_socket_served_by_another_daemon_is_not_taken_over()
    {
        await using var first = await ListenerFixture.StartAsync();
        var ex = await Assert.ThrowsAsync<StartupException>(() => ListenerFixture.StartAsync(o => o with { SocketPath = first.SocketPath }));
        Assert.Equal(ExitCodes.Locked, ex.ExitCode);

        await using var client = await first.ConnectAsync();
        await client.SendAsync(BridgeClient.Request("online"));
        Assert.Equal(BridgeStatus.Success, (await client.ReceiveAsync<AuthResponseFrame>()).Status);
    }

    [Fact]
    public async Task Over_the_connection_bound_a_peer_gets_BUSY_and_the_others_are_still_served()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var f = await ListenerFixture.StartAsync(o => o with { MaxConnections = 1 }, hold);
        await using var first = await f.ConnectAsync();
        await first.SendAsync(BridgeClient.Request("held"));
        await WaitUntil(() => !f.Seen.IsEmpty);

        await using (var second = await f.ConnectAsync())
        {
            var busy = await second.ReceiveAsync<AuthResponseFrame>();
            Assert.Equal(BridgeStatus.Busy, busy.Status);
            Assert.True(await second.IsClosedByPeerAsync());
        }

        hold.SetResult();
        Assert.Equal(BridgeStatus.Success, (await first.ReceiveAsync<AuthResponseFrame>()).Status);
    }

    [Fact]
    public async Task A_request_the_engine_never_answers_gets_TIMED_OUT_after_its_deadline()
    {
        await using var f = await ListenerFixture.StartAsync(o => o with { AskGrace = TimeSpan.FromMilliseconds(50) });
        await using var client = await f.ConnectAsync();

        await client.SendAsync(BridgeClient.Request("silent", timeoutMs: 100));

        Assert.Equal(BridgeStatus.TimedOut, (await client.ReceiveAsync<AuthResponseFrame>()).Status);
    }

    [Fact]
    public async Task Shutdown_answers_the_request_in_flight_and_tells_idle_peers()
    {
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var f = await ListenerFixture.StartAsync(hold: hold);
        await using var busy = await f.ConnectAsync();
        await busy.SendAsync(BridgeClient.Request("held"));
        await WaitUntil(() => !f.Seen.IsEmpty);
        await using var idle = await f.ConnectAsync();
        await WaitUntil(() => f.Listener.ActiveConnections == 2);

        var stopping = f.Listener.StopAsync(CancellationToken.None);

        Assert.Equal(BridgeErrorCode.ShuttingDown, (await idle.ReceiveAsync<ErrorFrame>()).Code);
        Assert.False(stopping.IsCompleted);
        hold.SetResult();
        Assert.Equal(BridgeStatus.Success, (await busy.ReceiveAsync<AuthResponseFrame>()).Status);
        await stopping;
        Assert.True(await busy.IsClosedByPeerAsync());
        Assert.Equal(FileKind.Missing, FileStatus.Of(f.SocketPath).Kind);
        await f.DisposeAsync();
    }

    [Fact]
    public async Task No_password_reaches_the_log()
    {
        await using var f = await ListenerFixture.StartAsync();
        foreach (var user in new[] { "online", "wrong", "broken", "locked" })
        {
            await using var client = await f.ConnectAsync();
            await client.SendAsync(BridgeClient.Request(user, "Pa55-unique-7d1f"));
            await client.ReceiveAsync<AuthResponseFrame>();
        }
        await using (var client = await f.ConnectAsync())
        {
            byte[] body = [1, 0x01, 1, 0, 0, 0x27, 0x10, 0, 1, (byte)'x', 0, 16, .. "Pa55-unique-7d1f"u8, 9]; // trailing garbage
            await client.SendRawAsync([.. Header(body.Length), .. body]);
            await client.ReceiveAsync<ErrorFrame>();
        }

        Assert.True(f.Logs.Contains("engine error"));
        Assert.DoesNotContain(f.Logs.Lines, l => l.Message.Contains("Pa55-unique-7d1f", StringComparison.Ordinal));
    }

    internal static byte[] Header(int length)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(header, (uint)length);
        return header;
    }

    internal static async Task WaitUntil(Func<bool> condition)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition()) await Task.Delay(10, guard.Token);
    }
}
