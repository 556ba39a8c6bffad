using Akka.Actor;
using OpenBastion.Actors.Protocol;

namespace OpenBastion.Host.Metrics;

/// <summary>
/// Feeds <see cref="DaemonMetrics"/> from the actor system's EventStream: connectivity changes (the
/// gauge) and the janitor's sweep reports (expired entries removed).
/// </summary>
public sealed class MetricsEventListener : ReceiveActor
{
    public MetricsEventListener(DaemonMetrics metrics)
    {
        Receive<ConnectivityChanged>(c =>
        {
            if (c.State != ConnectivityState.Unknown) metrics.Connectivity(c.State == ConnectivityState.Online);
        });
        Receive<SweepReport>(r => metrics.ExpiredRemoved(r.ExpiredRemoved));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(ConnectivityChanged));
        Context.System.EventStream.Subscribe(Self, typeof(SweepReport));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);

    public static Props Props(DaemonMetrics metrics) => Akka.Actor.Props.Create(() => new MetricsEventListener(metrics));
}
