using System.Net.Sockets;
using OpenBastion.Engine;
using OpenBastion.Wire;

namespace OpenBastion.Host.Tests;

/// <summary>A test peer of the bridge socket, speaking through the Engine's codec.</summary>
internal sealed class BridgeClient : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;

    private BridgeClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<BridgeClient> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new BridgeClient(socket);
    }

    public static AuthRequestFrame Request(string user, string password = "correct horse", uint timeoutMs = 10_000,
        string service = "sshd", string rhost = "", string tty = "", bool allowOffline = true) =>
        new(user, Secret.FromString(password), service, rhost, tty, allowOffline, timeoutMs);

    public async Task SendAsync(BridgeFrame frame)
    {
        await FrameWriter.WriteAsync(_stream, frame, CancellationToken.None);
        (frame as IDisposable)?.Dispose();
    }

    public async Task SendRawAsync(params byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Half-closes: the daemon sees end of stream.</summary>
    public void ShutdownSend() => _socket.Shutdown(SocketShutdown.Send);

    /// <summary>The next frame from the daemon (bounded by a generous real-time guard against hangs).</summary>
    public async Task<FrameResult> ReceiveAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await FrameReader.ReadFrameAsync(_stream, guard.Token);
    }

    public async Task<T> ReceiveAsync<T>() where T : BridgeFrame
    {
        var result = await ReceiveAsync();
        Assert.True(result.IsFrame, $"expected a {typeof(T).Name}, got {result.Error}");
        return Assert.IsType<T>(result.Frame);
    }

    /// <summary>True when the daemon closed the connection (nothing more to read).</summary>
    public async Task<bool> IsClosedByPeerAsync()
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var buffer = new byte[1];
        try
        {
            return await _stream.ReadAsync(buffer, guard.Token) == 0;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }

    /// <summary>Whether something (data or a close) is ready to read within <paramref name="wait"/>.</summary>
    public bool HasSomethingToRead(TimeSpan wait) => _socket.Poll(wait, SelectMode.SelectRead);

    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();
}
