using Akka.Actor;
using OpenBastion.Engine.Crypto;
using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Users;

/// <summary>
/// Routes every per-user message to that user's entity (DESIGN §3.1 step 2), creating it on demand
/// under the user's file key. It only routes and buffers: it never touches the cache files (the entity
/// does its own I/O, issue 11). Passivation loses nothing: when an entity asks to stop, the registry sends it <see cref="StopEntity"/> behind whatever it already has, buffers the key's new messages
/// until <see cref="Terminated"/>, then re-creates the entity and delivers them in order.
/// Also relays connectivity news both ways: request outcomes up to the monitor (which alone decides
/// the state), the state down to entities.
/// </summary>
internal sealed class UserRegistry : ReceiveActor
{
    private readonly ActorServices _services;
    private readonly HashingGate _gate;
    private readonly IActorRef _connectivity;
    private readonly ObActorsOptions _options;
    private readonly Dictionary<string, List<(object Message, IActorRef Sender)>> _passivating = new();
    private ConnectivityChanged _state;
    private IActorRef _janitor = ActorRefs.Nobody;

    public UserRegistry(ActorServices services, HashingGate gate, IActorRef connectivity, ObActorsOptions options)
    {
        _services = services;
        _gate = gate;
        _connectivity = connectivity;
        _options = options;
        _state = new ConnectivityChanged(ConnectivityState.Unknown, null, services.TimeProvider.GetUtcNow());

        Receive<Authenticate>(m => Route(UserKey.For(m.User), m));
        Receive<IUserAdminMessage>(m => Route(UserKey.For(m.User), m));
        Receive<KeyCommand>(m => Route(m.Key, m));
        Receive<InvalidateAll>(m => _janitor.Forward(m));
        Receive<Passivate>(_ => OnPassivate(Sender));
        Receive<Terminated>(t => OnTerminated(t.ActorRef));
        Receive<ConnectivityChanged>(OnConnectivity);
        // Request outcomes go up to the monitor, which alone decides the state (src/Actors/README.md).
        Receive<TransportFailure>(m => _connectivity.Forward(m));
        Receive<OnlineCallSlow>(m => _connectivity.Forward(m));
        Receive<LlngAnswered>(m => _connectivity.Forward(m));
        Receive<UseJanitor>(m => _janitor = m.Janitor);
    }

    public static Props Props(ActorServices services, HashingGate gate, IActorRef connectivity, ObActorsOptions options) =>
        Akka.Actor.Props.Create(() => new UserRegistry(services, gate, connectivity, options));

    // A store or crypto fault restarts the one entity (its state is on disk); never stop it.
    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(-1, -1, _ => Directive.Restart, loggingEnabled: false);

    private void Route(string key, object message)
    {
        if (_passivating.TryGetValue(key, out var buffer))
        {
            if (message is Authenticate && buffer.Count >= _options.PassivationBufferBound)
                Sender.Tell(AuthResult.Busy.Instance);
            else
                buffer.Add((message, Sender));
            return;
        }
        var child = Context.Child(key);
        if (child.IsNobody())
        {
            child = Spawn(key);
            // The entity does its own I/O; one woken only for a janitor command passivates once it is settled.
            if (message is KeyCommand command) message = command with { SpawnedForIt = true };
        }
        child.Forward(message);
    }

    private IActorRef Spawn(string key)
    {
        var child = Context.ActorOf(UserActor.Props(key, _services, _gate, _options, _state), key);
        Context.Watch(child);
        return child;
    }

    private void OnPassivate(IActorRef child)
    {
        var key = child.Path.Name;
        if (_passivating.ContainsKey(key) || !Context.Child(key).Equals(child)) return;
        _passivating[key] = [];
        child.Tell(StopEntity.Instance);
    }

    private void OnTerminated(IActorRef child)
    {
        var key = child.Path.Name;
        if (!_passivating.Remove(key, out var buffer) || buffer.Count == 0) return;
        var fresh = Spawn(key);
        foreach (var (message, sender) in buffer) fresh.Tell(message, sender);
    }

    private void OnConnectivity(ConnectivityChanged changed)
    {
        _state = changed;
        foreach (var child in Context.GetChildren()) child.Tell(changed);
    }
}
