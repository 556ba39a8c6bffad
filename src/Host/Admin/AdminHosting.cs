using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Hosting;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Host.Admin;

/// <summary>The daemon's side of ob-cache-admin in the host's composition.</summary>
public static class AdminHosting
{
    /// <summary>Registers <see cref="AdminHandler"/> (as <see cref="IAdminFrameHandler"/>) and its counters.</summary>
    public static IServiceCollection AddObActorsAdmin(this IServiceCollection services)
    {
        services.AddSingleton(sp => new AdminCounters(sp.GetRequiredService<IMeterFactory>()));
        services.AddSingleton<IAdminFrameHandler>(sp =>
        {
            var users = sp.GetRequiredService<IRequiredActor<ObActorKeys.Users>>();
            var connectivity = sp.GetRequiredService<IRequiredActor<ObActorKeys.Connectivity>>();
            var janitor = sp.GetRequiredService<IRequiredActor<ObActorKeys.Janitor>>();
            var actors = new Lazy<Task<AdminActors>>(async () =>
            {
                var options = ObActorsOptions.From(sp.GetRequiredService<ActorSystem>().Settings.Config);
                return new AdminActors(await users.GetAsync().ConfigureAwait(false), await connectivity.GetAsync().ConfigureAwait(false),
                    await janitor.GetAsync().ConfigureAwait(false), options.AdminAskTimeout, options.SweepAskTimeout);
            });
            return new AdminHandler(() => actors.Value,
                sp.GetRequiredService<ICredentialStore>(),
                sp.GetRequiredService<EngineSettings>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<AdminHandler>>(),
                sp.GetRequiredService<AdminCounters>(),
                sp.GetRequiredService<DaemonMetrics>())
            {
                Runtime = sp.GetService<DaemonRuntime>(),
            };
        });
        return services;
    }
}
