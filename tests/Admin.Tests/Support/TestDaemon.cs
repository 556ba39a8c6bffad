using System.Diagnostics.Metrics;
using Akka.Actor;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Bridge;
using OpenBastion.Host.Hosting;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Admin.Tests.Support;

/// <summary>
/// The daemon in-process, as Program composes it: the engine runtime (cache lock, key, store) on the
/// sandbox's configuration, a real ActorSystem with the engine's actors, the scripted portal, the
/// real bridge listener on the sandbox's socket with the admin handler hooked in.
/// </summary>
internal sealed class TestDaemon : IAsyncDisposable
{
    private readonly DaemonRuntime _runtime;
    private readonly ActorSystem _system;
    private readonly ServiceProvider _services;
    private readonly ILoggerFactory _loggers;
    private readonly AdminCounters _counters;

    private TestDaemon(DaemonRuntime runtime, ActorSystem system, ServiceProvider services, ILoggerFactory loggers,
        AdminCounters counters, BridgeListener listener, ObActorRefs actors)
    {
        _runtime = runtime;
        _system = system;
        _services = services;
        _loggers = loggers;
        _counters = counters;
        Listener = listener;
        Actors = actors;
    }

    public BridgeListener Listener { get; }

    public ObActorRefs Actors { get; }

    public static async Task<TestDaemon> StartAsync(AdminSandbox sandbox, uint? adminUid = null)
    {
        var settings = sandbox.Settings();
        var runtime = DaemonRuntime.Open(settings, sandbox.Time, sandbox.Portal);
        var system = ActorSystem.Create("admin-tests", """
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            obactors.hashing.workers = 1
            obactors.connectivity.probe-backoff-jitter = 0
            """);
        var actors = ObActors.Start(system, runtime.Services);
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        var counters = new AdminCounters(meters);
        var metrics = new DaemonMetrics(meters);
        var loggers = LoggerFactory.Create(b => b.AddProvider(sandbox.Logs).SetMinimumLevel(LogLevel.Debug));
        var options = ObActorsOptions.From(system.Settings.Config);
        var handler = new AdminHandler(
            () => Task.FromResult(new AdminActors(actors.Users, actors.Connectivity, actors.Janitor, options.AdminAskTimeout, options.SweepAskTimeout)),
            runtime.Services.Store, settings, sandbox.Time, loggers.CreateLogger<AdminHandler>(), counters, metrics)
        {
            AdminUid = adminUid ?? AdminSandbox.EffectiveUid,
            Runtime = runtime,
        };
        var uid = AdminSandbox.EffectiveUid;
        var listener = new BridgeListener(
            new BridgeOptions { SocketPath = sandbox.SocketPath, AllowedUids = [uid] },
            new ActorAuthenticationGateway(actors.Users, loggers.CreateLogger<ActorAuthenticationGateway>()),
            loggers.CreateLogger<BridgeListener>(), metrics, sandbox.Time, handler);
        await listener.StartAsync(CancellationToken.None);
        return new TestDaemon(runtime, system, services, loggers, counters, listener, actors);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await _system.Terminate();
        _counters.Dispose();
        await _services.DisposeAsync();
        _loggers.Dispose();
        _runtime.Dispose();
    }
}
