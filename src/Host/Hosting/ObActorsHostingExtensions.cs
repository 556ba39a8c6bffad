using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Bridge;
using OpenBastion.Host.Metrics;
using OpenBastion.Host.Systemd;

namespace OpenBastion.Host.Hosting;

/// <summary>The daemon's composition, one extension per concern (in the order Program calls them).</summary>
public static class ObActorsHostingExtensions
{
    public const string ActorSystemName = "obactors";

    /// <summary>The engine's opened resources, settings, clock and metrics.</summary>
    public static IServiceCollection AddObActorsEngine(this IServiceCollection services, DaemonRuntime runtime)
    {
        services.AddSingleton(runtime);
        services.AddSingleton(runtime.Services);
        services.AddSingleton(runtime.Settings);
        services.AddSingleton<ICredentialStore>(runtime.Services.Store);
        services.AddSingleton(runtime.Services.TimeProvider);
        services.AddHostedService(sp => new CacheUpkeep(runtime, sp.GetRequiredService<ILogger<CacheUpkeep>>()));
        services.AddMetrics();
        services.AddSingleton(sp =>
        {
            var metrics = new DaemonMetrics(sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
            var store = sp.GetRequiredService<ICredentialStore>();
            metrics.ObserveCacheSizeWith(() => store.Enumerate().Count);
            return metrics;
        });
        return services;
    }

    /// <summary>
    /// The generic host decides when the actor system stops (after the bridge listener has drained):
    /// Akka's own SIGTERM/exit hook would start CoordinatedShutdown concurrently with the listener.
    /// </summary>
    private static readonly Config HostOwnsShutdown = ConfigurationFactory.ParseString(
        "akka.coordinated-shutdown.run-by-clr-shutdown-hook = off\nakka.coordinated-shutdown.exit-clr = off");

    /// <summary>
    /// The actor system: obactors.hocon (embedded, under <paramref name="hocon"/>'s overrides), Akka's
    /// logs through Microsoft.Extensions.Logging, the engine's actors in the ActorRegistry.
    /// </summary>
    public static IServiceCollection AddObActorsAkka(this IServiceCollection services, Config hocon) =>
        services.AddAkka(ActorSystemName, (builder, sp) => builder
            .AddHocon(hocon, HoconAddMode.Prepend)
            .AddHocon(HostOwnsShutdown, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            })
            .WithObActors(sp.GetRequiredService<ActorServices>())
            .WithEngineMetrics(sp.GetRequiredService<DaemonMetrics>()));

    /// <summary>Starts the user registry, connectivity monitor and janitor, and registers them.</summary>
    public static AkkaConfigurationBuilder WithObActors(this AkkaConfigurationBuilder builder, ActorServices engine) =>
        builder.WithActors((system, registry) =>
        {
            var refs = ObActors.Start(system, engine);
            registry.Register<ObActorKeys.Users>(refs.Users);
            registry.Register<ObActorKeys.Connectivity>(refs.Connectivity);
            registry.Register<ObActorKeys.Janitor>(refs.Janitor);
        });

    /// <summary>Connectivity and sweep events from the EventStream into the metrics.</summary>
    public static AkkaConfigurationBuilder WithEngineMetrics(this AkkaConfigurationBuilder builder, DaemonMetrics metrics) =>
        builder.WithActors((system, _) => system.ActorOf(MetricsEventListener.Props(metrics), "metrics"));

    /// <summary>
    /// The bridge socket (and ob-cache-admin's requests on it, when AddObActorsAdmin was called first).
    /// Registered after AddAkka so that it stops first (hosted services stop in
    /// reverse order): no request reaches an actor system that is shutting down.
    /// </summary>
    public static IServiceCollection AddBridgeListener(this IServiceCollection services, Func<EngineSettings, BridgeOptions>? configure = null)
    {
        services.AddSingleton(sp =>
        {
            var settings = sp.GetRequiredService<EngineSettings>();
            return configure?.Invoke(settings) ?? BridgeOptions.From(settings);
        });
        services.AddSingleton<IAuthenticationGateway>(sp => new ActorAuthenticationGateway(
            sp.GetRequiredService<IRequiredActor<ObActorKeys.Users>>(),
            sp.GetRequiredService<ILogger<ActorAuthenticationGateway>>()));
        services.AddSingleton(sp => new BridgeListener(
            sp.GetRequiredService<BridgeOptions>(),
            sp.GetRequiredService<IAuthenticationGateway>(),
            sp.GetRequiredService<ILogger<BridgeListener>>(),
            sp.GetRequiredService<DaemonMetrics>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<IAdminFrameHandler>()));
        services.AddHostedService(sp => sp.GetRequiredService<BridgeListener>());
        return services;
    }

    /// <summary>READY=1 / STOPPING=1 to systemd (Type=notify); inert elsewhere.</summary>
    public static IServiceCollection AddSystemdNotify(this IServiceCollection services) =>
        services.AddHostedService<SystemdNotifier>();
}
