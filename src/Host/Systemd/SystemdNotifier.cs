using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OpenBastion.Host.Systemd;

/// <summary>
/// sd_notify(3) without libsystemd: one datagram to $NOTIFY_SOCKET. "READY=1" once every hosted
/// service has started (the socket is listening), "STOPPING=1" when shutdown begins. Does nothing
/// when not started by systemd with Type=notify.
/// </summary>
public sealed class SystemdNotifier(IHostApplicationLifetime lifetime, ILogger<SystemdNotifier> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => Notify($"READY=1\nMAINPID={Environment.ProcessId}\nSTATUS=accepting bridge connections"));
        lifetime.ApplicationStopping.Register(() => Notify("STOPPING=1"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Notify(string state)
    {
        var path = Environment.GetEnvironmentVariable("NOTIFY_SOCKET");
        if (string.IsNullOrEmpty(path)) return;
        if (path[0] == '@') path = "\0" + path[1..]; // abstract namespace
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
        }
        catch (SocketException ex)
        {
            logger.LogWarning("cannot notify systemd ({Error})", ex.SocketErrorCode);
        }
    }
}
