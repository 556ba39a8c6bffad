using Akka.Actor;

namespace OpenBastion.Actors.Protocol;

/// <summary>What the engine believes about LLNG (DESIGN §3.4).</summary>
public enum ConnectivityState { Unknown, Online, Offline }

/// <summary>
/// Published by the connectivity monitor to subscribers and on the EventStream when the state (or
/// its forcing) changes, and sent to a new subscriber at once. <paramref name="ForcedBy"/> names the
/// operator holding a forced state.
/// </summary>
public sealed record ConnectivityChanged(ConnectivityState State, string? ForcedBy, DateTimeOffset At) : INotInfluenceReceiveTimeout;

/// <summary>Receive <see cref="ConnectivityChanged"/> (the current state at once, then every change).</summary>
public sealed record Subscribe(IActorRef Subscriber);

public sealed record Unsubscribe(IActorRef Subscriber);

/// <summary>
/// A real request could not reach LLNG (refused, timeout, 5xx, unparsable answer). It does not mark
/// Offline by itself (no single request may flip connectivity for everyone): the monitor confirms
/// with a probe at once, unless one is in flight; only a failed probe marks Offline.
/// </summary>
public sealed record TransportFailure(string Reason) : INotInfluenceReceiveTimeout;

/// <summary>
/// A request's online call is still unanswered after <c>connectivity.confirm-after</c>: the monitor
/// starts a confirming probe now (unless one is in flight, whose timeout it then shortens) with
/// <paramref name="Budget"/>, the rest of that request's wait, so that the probe's verdict is in by
/// the time the request would give up.
/// </summary>
public sealed record OnlineCallSlow(TimeSpan Budget) : INotInfluenceReceiveTimeout;

/// <summary>A real request got an answer from LLNG (accepted or rejected): marks Online.</summary>
public sealed record LlngAnswered : INotInfluenceReceiveTimeout
{
    public static readonly LlngAnswered Instance = new();
}

/// <summary>
/// Operator: hold Offline (no online attempt, no probe) until <see cref="ClearForce"/> or <see cref="ForceOnline"/>.
/// Reply: <see cref="ConnectivityStatus"/>.
/// </summary>
public sealed record ForceOffline(string Operator);

/// <summary>
/// Operator: hold Online (every login tries LLNG first; failures still fall back per request but do
/// not change the state) until <see cref="ClearForce"/> or <see cref="ForceOffline"/>. Reply: <see cref="ConnectivityStatus"/>.
/// </summary>
public sealed record ForceOnline(string Operator);

/// <summary>Operator: release a forced state; the monitor probes at once. Reply: <see cref="ConnectivityStatus"/>.</summary>
public sealed record ClearForce
{
    public static readonly ClearForce Instance = new();
}

/// <summary>Reply: <see cref="ConnectivityStatus"/>.</summary>
public sealed record GetConnectivity
{
    public static readonly GetConnectivity Instance = new();
}

/// <summary>The monitor's view: state, who forced it, when it last changed, the last probe and its result.</summary>
public sealed record ConnectivityStatus(
    ConnectivityState State,
    string? ForcedBy,
    DateTimeOffset Since,
    DateTimeOffset? LastProbe,
    bool? LastProbeSucceeded);
