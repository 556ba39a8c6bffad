using System.Diagnostics;
using System.Net.Sockets;
using OpenBastion.Engine;
using OpenBastion.Wire;

namespace OpenBastion.Bench.Load;

/// <summary>What one request through the daemon's socket gave: a status, or why there was none.</summary>
internal readonly record struct Answer(BridgeStatus? Status, bool Offline, string? Failure, double Milliseconds)
{
    public bool Lost => Status is null;

    public string Outcome => Status?.ToString() ?? Failure ?? "lost";
}

/// <summary>One AUTH_REQUEST per connection, as the PAM module does, over the bridge protocol (docs/PROTOCOL.md).</summary>
internal static class BridgeClient
{
    public static async Task<Answer> AuthenticateAsync(string socketPath, string user, string password, uint timeoutMs,
        TimeSpan clientTimeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timer.CancelAfter(clientTimeout);
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), timer.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            using (var request = new AuthRequestFrame(user, Secret.FromString(password), "obactors-bench", "127.0.0.1", "bench",
                       AllowOffline: true, TimeoutMs: timeoutMs))
                await FrameWriter.WriteAsync(stream, request, timer.Token).ConfigureAwait(false);
            var result = await FrameReader.ReadFrameAsync(stream, timer.Token).ConfigureAwait(false);
            var ms = clock.Elapsed.TotalMilliseconds;
            return result.Frame switch
            {
                AuthResponseFrame r => new Answer(r.Status, r.Offline, null, ms),
                ErrorFrame e => new Answer(null, false, $"error frame {e.Code}", ms),
                _ => new Answer(null, false, $"no answer ({result.Error})", ms),
            };
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Answer(null, false, "client timeout", clock.Elapsed.TotalMilliseconds);
        }
        catch (Exception e) when (e is SocketException or IOException)
        {
            return new Answer(null, false, e.GetType().Name, clock.Elapsed.TotalMilliseconds);
        }
    }

    /// <summary>True once the socket accepts a connection (no request sent).</summary>
    public static bool Accepts(string socketPath)
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
