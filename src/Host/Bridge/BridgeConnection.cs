using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors.Protocol;
using OpenBastion.Wire;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Metrics;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Bridge;

/// <summary>
/// One accepted bridge connection: read the peer's credentials, then read frames (each bounded in
/// time) and answer each AUTH_REQUEST the <see cref="PeerPolicy"/> lets through via the actors, until
/// the peer closes, a protocol error, a refusal, or shutdown. Any failure closes this connection only.
/// </summary>
internal sealed class BridgeConnection(
    Socket socket,
    BridgeOptions options,
    PeerPolicy policy,
    IAuthenticationGateway gateway,
    DaemonMetrics? metrics,
    TimeProvider time,
    ILogger logger,
    IAdminFrameHandler? admin = null)
{
    private PeerCredentials _peer;

    /// <summary>Serves the connection; never throws. <paramref name="stopping"/> interrupts reads, not requests in flight.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            try
            {
                _peer = PeerCredentials.Of(socket);
            }
            catch (SocketException ex)
            {
                logger.LogWarning("bridge peer without credentials ({Error}), connection closed", ex.SocketErrorCode);
                return;
            }

            while (await ServeOneFrameAsync(stream, stopping).ConfigureAwait(false))
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
            // The peer went away, or the connection was cut at shutdown: nothing to answer.
            logger.LogDebug("bridge connection from pid {Pid} ended: {Error}", _peer.Pid, ex.GetType().Name);
        }
        catch (Exception ex)
        {
            logger.LogError("bridge connection from pid {Pid} failed ({Error}: {Message})", _peer.Pid, ex.GetType().Name, ex.Message);
        }
    }

    /// <summary>Reads and answers one frame. False when the connection must be closed.</summary>
    private async Task<bool> ServeOneFrameAsync(NetworkStream stream, CancellationToken stopping)
    {
        FrameResult result;
        using (var frameTimeout = new CancellationTokenSource(options.FrameTimeout, time))
        using (var read = CancellationTokenSource.CreateLinkedTokenSource(frameTimeout.Token, stopping))
        {
            try
            {
                result = await FrameReader.ReadFrameAsync(stream, read.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                await SendErrorAsync(stream, BridgeErrorCode.ShuttingDown, "daemon shutting down").ConfigureAwait(false);
                return false;
            }
            catch (OperationCanceledException)
            {
                logger.LogInformation("bridge peer pid {Pid} uid {Uid} too slow to send a frame, connection closed", _peer.Pid, _peer.Uid);
                metrics?.ProtocolError(BridgeErrorCode.Timeout);
                await SendErrorAsync(stream, BridgeErrorCode.Timeout, "frame not received in time").ConfigureAwait(false);
                return false;
            }
        }

        if (!result.IsFrame)
        {
            if (result.ReplyCode is { } code && result.Error != FrameError.Truncated)
            {
                logger.LogInformation("bridge protocol error {Error} from pid {Pid} uid {Uid}, connection closed", result.Error, _peer.Pid, _peer.Uid);
                metrics?.ProtocolError(code);
                await SendErrorAsync(stream, code, Describe(result.Error)).ConfigureAwait(false);
            }
            else if (result.Error == FrameError.Truncated)
            {
                logger.LogDebug("bridge peer pid {Pid} closed in the middle of a frame", _peer.Pid);
            }
            return false;
        }

        switch (result.Frame)
        {
            case AuthRequestFrame request:
                // The actors copy the password when they start the request; the frame's copy is
                // zeroed here once it is answered (or given up on).
                using (request)
                {
                    if (!await AdmitAsync(stream, request).ConfigureAwait(false)) return false;
                    await AnswerAsync(stream, request).ConfigureAwait(false);
                }
                return !stopping.IsCancellationRequested;
            case AdminFrame { Type: FrameType.AdminRequest } adminRequest when admin is not null:
                // ob-cache-admin: one request per connection; the handler checks the peer is root. The
                // payload (an auth's password) is zeroed once served.
                using (adminRequest)
                    await admin.ServeAsync(stream, adminRequest, _peer, stopping).ConfigureAwait(false);
                return false;
            default:
                (result.Frame as IDisposable)?.Dispose();
                logger.LogInformation("bridge peer pid {Pid} sent an unexpected {Type} frame, connection closed", _peer.Pid, result.Frame!.Type);
                metrics?.ProtocolError(BridgeErrorCode.BadType);
                await SendErrorAsync(stream, BridgeErrorCode.BadType, "this daemon only serves AUTH_REQUEST here").ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>
    /// The peer policy's verdict on this request: true to serve it; otherwise the refusal is answered
    /// (FORBIDDEN, or BUSY over the rate) and logged — never the password — and the connection closes.
    /// </summary>
    private async Task<bool> AdmitAsync(NetworkStream stream, AuthRequestFrame frame)
    {
        var verdict = policy.MayAuthenticate(_peer.Uid, frame.User);
        switch (verdict)
        {
            case PeerVerdict.Allow:
                return true;
            case PeerVerdict.Forbidden:
                logger.LogWarning("forbidden: uid {Uid} pid {Pid} (service {Service}) asked to authenticate user '{User}', " +
                                  "which is not its own account; refused", _peer.Uid, _peer.Pid, Printable(frame.Service), Printable(frame.User));
                metrics?.PeerRefused("forbidden");
                await SendErrorAsync(stream, BridgeErrorCode.Forbidden, "a non-root peer may only authenticate its own account").ConfigureAwait(false);
                return false;
            default:
                var level = verdict == PeerVerdict.Busy ? LogLevel.Warning : LogLevel.Debug; // once per flood, not once per request
                logger.Log(level, "rate limit: uid {Uid} pid {Pid} (service {Service}) sent too many authentication requests; " +
                                  "answered busy until its rate allows more", _peer.Uid, _peer.Pid, Printable(frame.Service));
                metrics?.PeerRefused("rate");
                using (var write = new CancellationTokenSource(options.FrameTimeout, time))
                    await FrameWriter.WriteAsync(stream, AuthResponseMapper.PeerRateLimited, write.Token).ConfigureAwait(false);
                return false;
        }
    }

    /// <summary>A peer-chosen string as it may appear in a log line (no control characters).</summary>
    private static string Printable(string value) => value.Any(char.IsControl) ? "(unprintable)" : value;

    private async Task AnswerAsync(NetworkStream stream, AuthRequestFrame frame)
    {
        var timeout = options.RequestTimeout(frame.TimeoutMs);
        var request = new Authenticate(
            frame.User,
            frame.Password,
            frame.Service,
            NullIfEmpty(frame.RemoteHost),
            NullIfEmpty(frame.Tty),
            frame.AllowOffline,
            time.GetUtcNow() + timeout);

        var result = await gateway.AuthenticateAsync(request, timeout + options.AskGrace).ConfigureAwait(false);
        metrics?.Authenticated(result);
        if (result is AuthResult.Error error)
            logger.LogWarning("engine error answering pid {Pid} (service {Service}): {Reason}", _peer.Pid, frame.Service, error.Reason);

        using var write = new CancellationTokenSource(options.FrameTimeout, time);
        await FrameWriter.WriteAsync(stream, AuthResponseMapper.ToFrame(result), write.Token).ConfigureAwait(false);
    }

    private async Task SendErrorAsync(NetworkStream stream, BridgeErrorCode code, string message)
    {
        try
        {
            using var write = new CancellationTokenSource(options.FrameTimeout, time);
            await FrameWriter.WriteAsync(stream, new ErrorFrame(code, message), write.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer is gone or does not read: closing is all that is left.
        }
    }

    private static string Describe(FrameError error) => error switch
    {
        FrameError.TooLarge => $"frame length must be 1..{BridgeProtocol.MaxBody}",
        FrameError.BadVersion => $"protocol version {BridgeProtocol.Version} expected",
        FrameError.BadType => "unknown frame type",
        _ => "malformed frame",
    };

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
