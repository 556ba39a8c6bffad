using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using OpenBastion.Host.Systemd;

namespace OpenBastion.Host.Tests;

public sealed class SystemdNotifierTests
{
    [Fact]
    public async Task Ready_and_stopping_are_sent_to_NOTIFY_SOCKET()
    {
        var root = Directory.CreateTempSubdirectory("obactors-notify-").FullName;
        var path = Path.Combine(root, "notify");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(path));
        var lifetime = new Lifetime();
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", path);
        try
        {
            await new SystemdNotifier(lifetime, NullLogger<SystemdNotifier>.Instance).StartAsync(CancellationToken.None);
            lifetime.Started.Cancel();
            lifetime.Stopping.Cancel();
        }
        finally
        {
            Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
        }

        var buffer = new byte[512];
        var first = Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer));
        var second = Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer));
        Assert.Contains("READY=1", first.Split('\n'));
        Assert.Contains($"MAINPID={Environment.ProcessId}", first.Split('\n'));
        Assert.Equal("STOPPING=1", second);
        Directory.Delete(root, true);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        public CancellationTokenSource Started { get; } = new();
        public CancellationTokenSource Stopping { get; } = new();
        public CancellationToken ApplicationStarted => Started.Token;
        public CancellationToken ApplicationStopping => Stopping.Token;
        public CancellationToken ApplicationStopped => CancellationToken.None;
        public void StopApplication() => Stopping.Cancel();
    }
}
