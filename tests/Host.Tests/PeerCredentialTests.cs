using System.Diagnostics;
using OpenBastion.Engine.Bridge;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Tests;

public sealed class PeerCredentialTests
{
    private const uint Nobody = 65534;

    // A bridge peer running as nobody: sends an AUTH_REQUEST, prints the daemon's first frame in hex ("" when closed).
    private const string NobodyClient =
        """
        import socket, struct, sys
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(20)
        s.connect(sys.argv[1])
        def t(x): b = x.encode(); return struct.pack(">H", len(b)) + b
        body = bytes([1, 1, 1]) + struct.pack(">I", 5000) + t("alice") + t("pw") + t("su") + t("") + t("")
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
    public async Task A_peer_whose_uid_is_not_allowed_gets_FORBIDDEN_and_is_never_served()
    {
        if (GetUid() != 0) return; // needs root to run the peer as another user (CI runs as root)
        await using var f = await ListenerFixture.StartAsync();
        OpenToEveryone(f);

        var answer = await RunAsNobody(f.SocketPath);

        var result = FrameParser.Parse(Convert.FromHexString(answer)[4..]);
        var error = Assert.IsType<ErrorFrame>(result.Frame);
        Assert.Equal(BridgeErrorCode.Forbidden, error.Code);
        Assert.Empty(f.Seen);
        Assert.True(f.Logs.Contains($"refused bridge peer uid {Nobody} pid "));
    }

    [Fact]
    public async Task A_uid_on_the_allowed_list_is_served()
    {
        if (GetUid() != 0) return;
        await using var f = await ListenerFixture.StartAsync(o => o with { AllowedUids = [0, Nobody] });
        OpenToEveryone(f);

        var answer = await RunAsNobody(f.SocketPath);

        var response = Assert.IsType<AuthResponseFrame>(FrameParser.Parse(Convert.FromHexString(answer)[4..]).Frame);
        Assert.Equal(BridgeStatus.Unavailable, response.Status); // "alice" → the scripted Unreadable answer
        Assert.Equal("alice", Assert.Single(f.Seen).User);
    }

    /// <summary>The test's own relaxation, after the listener made its socket 0600: lets nobody reach connect().</summary>
    private static void OpenToEveryone(ListenerFixture f)
    {
        var all = (UnixFileMode)0b111_111_111;
        File.SetUnixFileMode(f.Root, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(f.SocketPath, all);
    }

    private static async Task<string> RunAsNobody(string socketPath)
    {
        var start = new ProcessStartInfo("setpriv")
        {
            ArgumentList = { $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "/usr/bin/python3", "-c", NobodyClient, socketPath },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(guard.Token);
        Assert.True(process.ExitCode == 0, $"the nobody client failed: {await stderr}");
        return (await stdout).Trim();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "getuid")]
    private static extern uint GetUid();
}
