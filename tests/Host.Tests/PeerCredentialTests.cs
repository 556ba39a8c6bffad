using System.Diagnostics;
using OpenBastion.Wire;
using OpenBastion.Engine.Native;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Tests;

public sealed class PeerCredentialTests
{
    private const uint Nobody = 65534;

    // A bridge peer running as nobody: for each user in argv[2:], connects, sends an AUTH_REQUEST,
    // prints the daemon's first frame in hex ("" when closed), one line per request.
    private const string NobodyClient =
        """
        import socket, struct, sys
        def t(x): b = x.encode(); return struct.pack(">H", len(b)) + b
        for user in sys.argv[2:]:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(20)
            s.connect(sys.argv[1])
            body = bytes([1, 1, 1]) + struct.pack(">I", 5000) + t(user) + t("pw") + t("su") + t("") + t("")
            try:
                s.sendall(struct.pack(">I", len(body)) + body)
            except OSError:
                pass
            def exactly(n):
                data = b""
                while len(data) < n:
                    chunk = s.recv(n - len(data))
                    if not chunk: break
                    data += chunk
                return data
            header = exactly(4)
            body = exactly(struct.unpack(">I", header)[0]) if len(header) == 4 else b""
            print((header + body).hex())
            s.close()
        """;

    [Fact]
    public async Task The_peer_credentials_are_the_connecting_process()
    {
        await using var f = await ListenerFixture.StartAsync();
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, 0);
        socket.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(f.SocketPath));

        var peer = PeerCredentials.Of(socket); // the listener's side is another process' view; ours sees the daemon: us
        Assert.Equal(Environment.ProcessId, peer.Pid);
        Assert.Equal(GetUid(), peer.Uid);
    }

    [Fact]
    public async Task The_socket_is_connectable_by_every_local_user()
    {
        await using var f = await ListenerFixture.StartAsync();
        Assert.Equal((UnixFileMode)0b110_110_110, File.GetUnixFileMode(f.SocketPath));
        Assert.Equal(GetUid(), FileStatus.Of(f.SocketPath).Uid); // owned by the daemon's uid (root in production)
    }

    [Fact]
    public async Task A_non_root_peer_asking_for_another_account_gets_FORBIDDEN_and_is_never_served()
    {
        if (GetUid() != 0) return; // needs root to run the peer as another user (CI runs as root)
        await using var f = await ListenerFixture.StartAsync();
        OpenToEveryone(f);

        var answer = Assert.Single(await RunAsNobody(f.SocketPath, "root"));

        var error = Assert.IsType<ErrorFrame>(FrameParser.Parse(Convert.FromHexString(answer)[4..]).Frame);
        Assert.Equal(BridgeErrorCode.Forbidden, error.Code);
        Assert.Empty(f.Seen);
        Assert.True(f.Logs.Contains($"forbidden: uid {Nobody} pid "));
        Assert.True(f.Logs.Contains("asked to authenticate user 'root'"));
        Assert.False(f.Logs.Contains("pw'")); // never the password
    }

    [Fact]
    public async Task A_non_root_peer_is_served_for_its_own_account()
    {
        if (GetUid() != 0) return;
        await using var f = await ListenerFixture.StartAsync();
        OpenToEveryone(f);

        var answer = Assert.Single(await RunAsNobody(f.SocketPath, "nobody"));

        var response = Assert.IsType<AuthResponseFrame>(FrameParser.Parse(Convert.FromHexString(answer)[4..]).Frame);
        Assert.Equal(BridgeStatus.Unavailable, response.Status); // the scripted answer for an unscripted user
        Assert.Equal("nobody", Assert.Single(f.Seen).User);
    }

    [Fact]
    public async Task A_non_root_peer_over_its_rate_is_answered_BUSY_and_reaches_no_actor()
    {
        if (GetUid() != 0) return;
        await using var f = await ListenerFixture.StartAsync(o => o with { PeerBurst = 3 });
        OpenToEveryone(f);

        // The fixture's clock never moves: no token comes back between the requests.
        var answers = await RunAsNobody(f.SocketPath, "nobody", "nobody", "nobody", "nobody", "nobody");

        var statuses = answers.Select(a => Assert.IsType<AuthResponseFrame>(FrameParser.Parse(Convert.FromHexString(a)[4..]).Frame).Status).ToArray();
        Assert.Equal([BridgeStatus.Unavailable, BridgeStatus.Unavailable, BridgeStatus.Unavailable, BridgeStatus.Busy, BridgeStatus.Busy], statuses);
        Assert.Equal(3, f.Seen.Count);
        Assert.True(f.Logs.Contains($"rate limit: uid {Nobody} pid "));

        f.Time.Advance(TimeSpan.FromSeconds(6)); // one token back
        Assert.Equal(BridgeStatus.Unavailable,
            Assert.IsType<AuthResponseFrame>(FrameParser.Parse(Convert.FromHexString(Assert.Single(await RunAsNobody(f.SocketPath, "nobody")))[4..]).Frame).Status);
    }

    [Fact]
    public async Task A_uid_on_the_allowed_list_is_served_for_any_user()
    {
        if (GetUid() != 0) return;
        await using var f = await ListenerFixture.StartAsync(o => o with { AllowedUids = [0, Nobody] });
        OpenToEveryone(f);

        var answer = Assert.Single(await RunAsNobody(f.SocketPath, "alice"));

        var response = Assert.IsType<AuthResponseFrame>(FrameParser.Parse(Convert.FromHexString(answer)[4..]).Frame);
        Assert.Equal(BridgeStatus.Unavailable, response.Status); // "alice" → the scripted Unreadable answer
        Assert.Equal("alice", Assert.Single(f.Seen).User);
    }

    /// <summary>The test's own relaxation of its temporary directory (0700): lets nobody reach the socket (0666 by the listener).</summary>
    private static void OpenToEveryone(ListenerFixture f) => File.SetUnixFileMode(f.Root, (UnixFileMode)0b111_101_101);

    private static async Task<string[]> RunAsNobody(string socketPath, params string[] users)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            ArgumentList = { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "/usr/bin/python3", "-c", NobodyClient, socketPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var user in users) start.ArgumentList.Add(user);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        Assert.True(process.ExitCode == 0, $"the nobody client failed: {await stderr}");
        return (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
