using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Native;
using OpenBastion.Host.Hosting;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Host.Tests;

/// <summary>The whole daemon as Program composes it (generic host, Akka.Hosting, real actors, real store), LLNG scripted.</summary>
public sealed class DaemonHostTests
{
    [Fact]
    public async Task Online_success_caches_the_password_then_an_outage_is_served_offline()
    {
        using var dir = new DaemonDirectory();
        var portal = new ScriptedPortal().Knows("dwho", "dwho");
        var logs = new CapturedLogs();
        using var runtime = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, portal);
        using var host = Program.BuildHost(new DaemonArguments(), runtime, ObActorsConfig.Default, l => l.AddProvider(logs));
        await host.StartAsync();

        var online = await AuthenticateAsync(dir.SocketPath, "dwho", "dwho");
        Assert.Equal((BridgeStatus.Success, false), (online.Status, online.Offline));
        Assert.Equal("/home/dwho", online.Home);

        portal.Mode = PortalMode.Refuse;
        var offline = await AuthenticateAsync(dir.SocketPath, "dwho", "dwho");
        Assert.Equal((BridgeStatus.Success, true), (offline.Status, offline.Offline));

        var wrong = await AuthenticateAsync(dir.SocketPath, "dwho", "not-dwho");
        Assert.Equal(BridgeStatus.WrongPassword, wrong.Status);
        var unknown = await AuthenticateAsync(dir.SocketPath, "rtyler", "rtyler");
        Assert.Equal(BridgeStatus.NotCached, unknown.Status);

        Assert.Single(runtime.Services.Store.Enumerate());
        Assert.DoesNotContain(logs.Lines, l => l.Message.Contains("not-dwho", StringComparison.Ordinal));

        await host.StopAsync();
        Assert.Equal(FileKind.Missing, FileStatus.Of(dir.SocketPath).Kind);
    }

    [Fact]
    public async Task The_listener_stops_before_the_actor_system()
    {
        using var dir = new DaemonDirectory();
        using var runtime = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b"));
        using var host = Program.BuildHost(new DaemonArguments(), runtime, ObActorsConfig.Default, _ => { });

        var hosted = host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name).ToList();
        var akka = hosted.FindIndex(n => n.Contains("Akka", StringComparison.Ordinal));
        var bridge = hosted.IndexOf(nameof(Bridge.BridgeListener));
        Assert.True(akka >= 0 && bridge > akka, string.Join(", ", hosted)); // stopped in reverse order
    }

    [Fact]
    public async Task Authentication_outcomes_are_counted_on_the_OpenBastion_Actors_meter()
    {
        using var dir = new DaemonDirectory();
        using var runtime = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("dwho", "dwho"));
        using var host = Program.BuildHost(new DaemonArguments(), runtime, ObActorsConfig.Default, _ => { });
        using var collector = new MeterCollector(DaemonMetrics.MeterName);
        await host.StartAsync();

        await AuthenticateAsync(dir.SocketPath, "dwho", "dwho");
        await AuthenticateAsync(dir.SocketPath, "dwho", "wrong");
        await using (var client = await BridgeClient.ConnectAsync(dir.SocketPath))
        {
            await client.SendRawAsync(BridgeListenerTests.Header(0));
            await client.ReceiveAsync<ErrorFrame>();
        }

        Assert.Equal(1, collector.Sum("obactors.auth.requests", ("outcome", "success")));
        Assert.Equal(1, collector.Sum("obactors.auth.requests", ("outcome", "wrong_password")));
        Assert.Equal(1, collector.Sum("obactors.bridge.protocol_errors", ("code", "TooLarge")));
        collector.RecordObservables();
        Assert.Equal(1, collector.Last("obactors.cache.entries"));
        await host.StopAsync();
    }

    [Fact]
    public void A_second_daemon_on_the_same_cache_refuses_to_start()
    {
        using var dir = new DaemonDirectory();
        using var first = DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b"));

        var ex = Assert.Throws<StartupException>(() => DaemonRuntime.Open(dir.LoadSettings(), TimeProvider.System, new ScriptedPortal().Knows("a", "b")));
        Assert.Equal(ExitCodes.Locked, ex.ExitCode);

        first.Dispose();
        Assert.True(DirectoryLock.TryAcquire(dir.CacheDir, out var again));
        again!.Dispose();
    }

    private static async Task<AuthResponseFrame> AuthenticateAsync(string socket, string user, string password)
    {
        await using var client = await BridgeClient.ConnectAsync(socket);
        await client.SendAsync(BridgeClient.Request(user, password, timeoutMs: 20_000));
        return await client.ReceiveAsync<AuthResponseFrame>();
    }
}
