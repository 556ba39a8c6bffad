using Akka.Actor;
using OpenBastion.Actors.Connectivity;
using OpenBastion.Actors.Users;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors;

/// <summary>Starts the engine's actors in an actor system (the daemon calls this once).</summary>
public static class ObActors
{
    /// <summary>
    /// Creates "connectivity", "users" and "janitor" at the top level. Tunables come from the system's
    /// <c>obactors</c> config over the embedded obactors.hocon. The hashing gate lives as long as the system.
    /// </summary>
    public static ObActorRefs Start(ActorSystem system, ActorServices services)
    {
        var options = ObActorsOptions.From(system.Settings.Config);
        var gate = new HashingGate(services.Hasher, options.HashingWorkers, services.TimeProvider, options.HashingQueueBound);
        system.RegisterOnTermination(gate.Dispose);

        var connectivity = system.ActorOf(ConnectivityMonitor.Props(services, options), "connectivity");
        var users = system.ActorOf(UserRegistry.Props(services, gate, connectivity, options), "users");
        // Subscribed before Start returns, so that no state change published later can miss the registry.
        connectivity.Tell(new Protocol.Subscribe(users));
        var janitorProps = Janitor.Janitor.Props(services, users, options);
        if (options.JanitorDispatcher.Length > 0 && system.Dispatchers.HasDispatcher(options.JanitorDispatcher))
            janitorProps = janitorProps.WithDispatcher(options.JanitorDispatcher);
        var janitor = system.ActorOf(janitorProps, "janitor");
        users.Tell(new UseJanitor(janitor));
        return new ObActorRefs(users, connectivity, janitor) { Hashing = gate };
    }
}
