using System.Collections.Concurrent;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Wire;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Host.Bridge;

/// <summary>
/// The bridge socket (DESIGN §3.7): a root-owned 0666 Unix stream socket (what each peer may ask is
/// <see cref="PeerPolicy"/>'s), one task per connection,
/// a bound on connections served at once; ADMIN_REQUEST frames go to the admin handler when there is one. Registered after the actor system so that it stops first:
/// it stops accepting, lets requests in flight be answered (bounded by <see cref="BridgeOptions.ShutdownGrace"/>),
/// tells idle peers it is shutting down, then removes the socket file.
/// </summary>
public sealed class BridgeListener(
    BridgeOptions options,
    IAuthenticationGateway gateway,
    ILogger<BridgeListener> logger,
    DaemonMetrics? metrics = null,
    TimeProvider? timeProvider = null,
    IAdminFrameHandler? admin = null,
    PeerPolicy? policy = null) : IHostedService, IAsyncDisposable
{
    private const int Backlog = 512;
    // Every local user may connect (a screen locker runs as the user); PeerPolicy decides what each peer may ask.
    private static readonly UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    private static readonly UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly PeerPolicy _policy = policy ?? PeerPolicy.From(options, timeProvider ?? TimeProvider.System);
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, (Socket Socket, Task Task)> _connections = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextId;
    private int _active;

    /// <summary>Connections being served right now.</summary>
    public int ActiveConnections => Volatile.Read(ref _active);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        PrepareSocketPath(options.SocketPath);
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(options.SocketPath));
            // 0666: any local user may connect; SO_PEERCRED and PeerPolicy decide what each one may ask.
            File.SetUnixFileMode(options.SocketPath, SocketMode);
            listener.Listen(Backlog);
        }
        catch (Exception ex) when (ex is SocketException or IOException or UnauthorizedAccessException)
        {
            listener.Dispose();
            throw new StartupException(ExitCodes.CannotCreate, $"cannot create the bridge socket '{options.SocketPath}': {ex.Message}", ex);
        }
        _listener = listener;
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        logger.LogInformation("listening on {SocketPath} (any user: uid {Uids}; other local users: their own account, at most {Burst} at once then one per {Refill} s)",
            options.SocketPath, string.Join(",", options.AllowedUids.Append(0u).Distinct().Order()), options.PeerBurst, options.PeerRefill.TotalSeconds);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);

        var inFlight = _connections.Values.Select(c => c.Task).ToArray();
        if (inFlight.Length > 0)
        {
            logger.LogInformation("stopping: answering {Count} bridge connection(s) in flight", inFlight.Length);
            try
            {
                await Task.WhenAll(inFlight).WaitAsync(options.ShutdownGrace, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
            {
                logger.LogWarning("stopping: cutting {Count} bridge connection(s) still waiting for an answer", _connections.Count);
                foreach (var (socket, _) in _connections.Values) socket.Dispose();
            }
        }
        RemoveSocketFile();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var stopping = _stopping.Token;
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener!.AcceptAsync(stopping).ConfigureAwait(false);
            }
            catch (Exception ex) when (stopping.IsCancellationRequested && ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                // EMFILE/ENFILE/ENOBUFS: keep the daemon up, back off briefly.
                logger.LogError("bridge accept failed ({Error}), retrying", ex.SocketErrorCode);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100), _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            Serve(client, stopping);
        }
    }

    private void Serve(Socket client, CancellationToken stopping)
    {
        if (Interlocked.Increment(ref _active) > options.MaxConnections)
        {
            Interlocked.Decrement(ref _active);
            metrics?.PeerRefused("busy");
            logger.LogWarning("bridge connection refused: {Max} connections already being served", options.MaxConnections);
            _ = RefuseBusyAsync(client);
            return;
        }

        var id = Interlocked.Increment(ref _nextId);
        var connection = new BridgeConnection(client, options, _policy, gateway, metrics, _time, logger, admin);
        // Registered before it runs so that StopAsync always sees it; removed when it ends.
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = RunConnectionAsync(id, connection, start.Task, stopping);
        _connections[id] = (client, task);
        start.SetResult();
    }

    private async Task RunConnectionAsync(long id, BridgeConnection connection, Task registered, CancellationToken stopping)
    {
        try
        {
            await registered.ConfigureAwait(false);
            await connection.RunAsync(stopping).ConfigureAwait(false);
        }
        finally
        {
            _connections.TryRemove(id, out _);
            Interlocked.Decrement(ref _active);
        }
    }

    private async Task RefuseBusyAsync(Socket client)
    {
        try
        {
            await using var stream = new NetworkStream(client, ownsSocket: true);
            using var write = new CancellationTokenSource(options.FrameTimeout, _time);
            await FrameWriter.WriteAsync(stream, AuthResponseMapper.ServerBusy, write.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>Creates the socket's directory (0755) if absent, and removes a stale socket left by a dead daemon.</summary>
    private void PrepareSocketPath(string path)
    {
        try
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var dirStatus = FileStatus.Of(directory);
            if (dirStatus.Kind == FileKind.Missing)
            {
                Directory.CreateDirectory(directory);
                File.SetUnixFileMode(directory, DirectoryMode); // whatever the umask
            }
            else if (dirStatus.Kind != FileKind.Directory)
            {
                throw new StartupException(ExitCodes.CannotCreate, $"the bridge socket's directory '{directory}' is not a directory");
            }
            else if ((dirStatus.Permissions & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                logger.LogWarning("the bridge socket's directory {Directory} is writable by other users", directory);
            }

            var status = FileStatus.Of(path);
            switch (status.Kind)
            {
                case FileKind.Missing:
                    return;
                case FileKind.Socket when IsServed(path):
                    throw new StartupException(ExitCodes.Locked, $"the bridge socket '{path}' is served by another running daemon");
                case FileKind.Socket:
                    logger.LogInformation("removing stale bridge socket {SocketPath}", path);
                    File.Delete(path);
                    return;
                default:
                    throw new StartupException(ExitCodes.CannotCreate, $"'{path}' exists and is not a socket; not removing it");
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.CannotCreate, $"cannot prepare the bridge socket '{path}': {ex.Message}", ex);
        }
    }

    private static bool IsServed(string path)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private void RemoveSocketFile()
    {
        try
        {
            if (_listener is not null && FileStatus.Of(options.SocketPath).Kind == FileKind.Socket) File.Delete(options.SocketPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("cannot remove the bridge socket {SocketPath}: {Error}", options.SocketPath, ex.Message);
        }
    }
}
