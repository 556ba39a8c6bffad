using System.Net.Sockets;
using System.Text;
using OpenBastion.Wire;
using OpenBastion.Host.Native;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// Sends admin requests to the running daemon over the bridge socket: one connection per request,
/// ADMIN_REQUEST out, ADMIN_RESPONSE frames in until one without "more". Like the PAM module, it
/// talks only to a socket owned by the daemon's uid (root) whose peer runs as that uid.
/// </summary>
public sealed class DaemonAdminClient(string socketPath, uint daemonUid = 0, TimeSpan? timeout = null) : IAdminExecutor
{
    /// <summary>Largest whole response accepted (a list of a very large cache).</summary>
    public const int MaxResponseBytes = 256 * 1024 * 1024;

    // Longer than the daemon's own sweep bound (obactors.ask-timeout.sweep, 300 s) so its answer, not ours, ends a long sweep.
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromSeconds(330);

    public string SocketPath { get; } = socketPath;

    /// <summary>Whether a daemon answers on the socket (a connection succeeds).</summary>
    public bool IsRunning()
    {
        if (FileStatus.Of(SocketPath).Kind != FileKind.Socket) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public async Task<AdminReply> ExecuteAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        var status = FileStatus.Of(SocketPath);
        if (status.Kind != FileKind.Socket)
            throw new AdminFailure(ExitCodes.Unavailable, $"the obactors daemon is not running (no socket at {SocketPath})");
        if (status.Uid != daemonUid)
            throw new AdminFailure(ExitCodes.Unavailable, $"refusing the socket {SocketPath}: it is owned by uid {status.Uid}, not {daemonUid}");

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), deadline.Token).ConfigureAwait(false);
            var peer = PeerCredentials.Of(socket);
            if (peer.Uid != daemonUid)
                throw new AdminFailure(ExitCodes.Unavailable, $"refusing the daemon on {SocketPath}: it runs as uid {peer.Uid}, not {daemonUid}");
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var frame = AdminCodec.EncodeRequest(request);
            try
            {
                await FrameWriter.WriteAsync(stream, frame, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                frame.Dispose(); // zeroes the payload (an auth's password)
            }
            return await ReadReplyAsync(stream, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AdminFailure(ExitCodes.Unavailable, $"the obactors daemon did not answer within {_timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            throw new AdminFailure(ExitCodes.Unavailable, $"the obactors daemon on {SocketPath} cannot be reached: {ex.Message}");
        }
    }

    private static async Task<AdminReply> ReadReplyAsync(NetworkStream stream, CancellationToken token)
    {
        var text = new StringBuilder();
        long bytes = 0;
        while (true)
        {
            var result = await FrameReader.ReadFrameAsync(stream, token).ConfigureAwait(false);
            if (!result.IsFrame)
                throw new AdminFailure(ExitCodes.Unavailable,
                    result.Error is FrameError.EndOfStream or FrameError.Truncated
                        ? "the obactors daemon closed the connection without answering"
                        : $"the obactors daemon sent an invalid frame ({result.Error})");
            switch (result.Frame)
            {
                case ErrorFrame { Code: BridgeErrorCode.Forbidden }:
                    throw new AdminFailure(ExitCodes.NotRoot, "the obactors daemon refused the request: admin requests are for root only");
                case ErrorFrame { Code: BridgeErrorCode.BadType }:
                    throw new AdminFailure(ExitCodes.Unavailable, "this obactors daemon does not serve admin requests (older version?)");
                case ErrorFrame error:
                    throw new AdminFailure(ExitCodes.Unavailable, $"the obactors daemon refused the request: {error.Code} ({error.Message})");
                case AdminFrame reserved when AdminCodec.DecodeResponse(reserved) is { } response:
                    bytes += response.Text.Length;
                    if (bytes > MaxResponseBytes)
                        throw new AdminFailure(ExitCodes.Protocol, "the obactors daemon's answer is too large");
                    text.Append(response.Text);
                    if (!response.More) return new AdminReply(response.Status, text.ToString());
                    break;
                default:
                    throw new AdminFailure(ExitCodes.Protocol, $"the obactors daemon sent an unexpected {result.Frame!.Type} frame");
            }
        }
    }
}
