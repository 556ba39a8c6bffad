using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Connectivity;

/// <summary>
/// What the engine believes about LLNG (DESIGN §3.4): Unknown → Online / Offline. Probes on a timer:
/// every probe-interval-online while online, with backoff and jitter otherwise. Changes go to
/// subscribers and the EventStream.
/// The rule (issue 10; src/Actors/README.md): only this monitor decides, and it decides Offline only
/// on a failed probe — its own request, the discovery document, which no client can influence. A
/// request's transport failure (<see cref="TransportFailure"/>) or an online call still unanswered
/// after confirm-after (<see cref="OnlineCallSlow"/>, with the rest of that request's wait as the
/// probe's budget) starts a confirming probe at once, unless one is in flight. A good probe or an
/// answered request (<see cref="LlngAnswered"/>) marks Online. So no single request can flip
/// connectivity for everyone while the portal answers probes, and a blackholed portal still costs
/// only the first login one offline_timeout (the probe fails by the time that login gives up, and
/// the Offline broadcast ends every pending online call).
/// Forcing: an operator's ForceOffline / ForceOnline holds until ClearForce (or the other force).
/// While forced, probes stop and request reports do not change the state; ClearForce probes at once.
/// </summary>
internal sealed class ConnectivityMonitor : ReceiveActor, IWithTimers
{
    private const string ProbeTimerKey = "probe";
    private const string ProbeTimeoutKey = "probe-timeout";

    private readonly ActorServices _services;
    private readonly ObActorsOptions _options;
    private readonly ProbeBackoff _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];

    private ConnectivityState _state = ConnectivityState.Unknown;
    private string? _forcedBy;
    private DateTimeOffset _since;
    private DateTimeOffset? _lastProbe;
    private bool? _lastProbeSucceeded;
    private int _offlineProbes;
    private long _probeId;
    private CancellationTokenSource? _probe;
    private DateTimeOffset _probeDeadline;

    public ConnectivityMonitor(ActorServices services, ObActorsOptions options, Random random)
    {
        _services = services;
        _options = options;
        _backoff = new ProbeBackoff(options.ProbeBackoffInitial, options.ProbeBackoffMax, options.ProbeBackoffJitter, random);
        _since = Now;

        Receive<Subscribe>(m =>
        {
            _subscribers.Add(m.Subscriber);
            Context.Watch(m.Subscriber);
            m.Subscriber.Tell(Current());
        });
        Receive<Unsubscribe>(m => { _subscribers.Remove(m.Subscriber); Context.Unwatch(m.Subscriber); });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<TransportFailure>(m => Confirm(_services.Settings.OfflineTimeout, m.Reason));
        Receive<OnlineCallSlow>(m => Confirm(m.Budget, "an online call is still unanswered"));
        Receive<LlngAnswered>(_ => { if (_forcedBy is null && BecomeOnline()) RescheduleProbe(); });
        Receive<ProbeTick>(_ => StartProbe(_services.Settings.OfflineTimeout));
        Receive<ProbeDone>(m => m.Id == _probeId && _probe is not null, m => OnProbeDone(m.Reachable, "probe failed"));
        Receive<ProbeTimedOut>(m => m.Id == _probeId && _probe is not null, _ => OnProbeDone(false, "probe timed out"));
        Receive<ProbeDone>(_ => { });
        Receive<ProbeTimedOut>(_ => { });
        Receive<ForceOffline>(m => Force(ConnectivityState.Offline, m.Operator));
        Receive<ForceOnline>(m => Force(ConnectivityState.Online, m.Operator));
        Receive<ClearForce>(_ => ClearForce());
        Receive<GetConnectivity>(_ => Sender.Tell(Status()));
    }

    public static Props Props(ActorServices services, ObActorsOptions options, Random? random = null) =>
        Akka.Actor.Props.Create(() => new ConnectivityMonitor(services, options, random ?? Random.Shared));

    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => _services.TimeProvider.GetUtcNow();

    protected override void PreStart() => Self.Tell(ProbeTick.Instance);

    protected override void PostStop()
    {
        _probe?.Cancel();
        _probe?.Dispose();
    }

    /// <summary>
    /// A request suspects LLNG: probe now with <paramref name="budget"/> (or shorten the probe in flight
    /// to it). Nothing to confirm while forced, or while already Offline (the backoff probes run anyway).
    /// </summary>
    private void Confirm(TimeSpan budget, string why)
    {
        if (_forcedBy is not null || _state == ConnectivityState.Offline) return;
        if (budget < _options.SchedulerTick) budget = _options.SchedulerTick;
        if (_probe is not null)
        {
            var deadline = Now + budget;
            if (deadline < _probeDeadline)
            {
                _probeDeadline = deadline;
                Timers.StartSingleTimer(ProbeTimeoutKey, new ProbeTimedOut(_probeId), budget);
            }
            return;
        }
        _log.Info("confirming LLNG with a probe ({0})", why);
        StartProbe(budget);
    }

    private void StartProbe(TimeSpan budget)
    {
        if (_forcedBy is not null || _probe is not null) return;
        var id = ++_probeId;
        _probe = new CancellationTokenSource();
        _probeDeadline = Now + budget;
        Timers.StartSingleTimer(ProbeTimeoutKey, new ProbeTimedOut(id), budget);
        Task<bool> probe;
        try
        {
            probe = _services.Online.ProbeAsync(_probe.Token);
        }
        catch (Exception)
        {
            probe = Task.FromResult(false);
        }
        probe.PipeTo(Self, success: ok => new ProbeDone(id, ok), failure: _ => new ProbeDone(id, false));
    }

    private void OnProbeDone(bool reachable, string failure)
    {
        Timers.Cancel(ProbeTimeoutKey);
        _probe?.Cancel();
        _probe?.Dispose();
        _probe = null;
        _lastProbe = Now;
        _lastProbeSucceeded = reachable;
        if (_forcedBy is not null) return;
        if (reachable) BecomeOnline();
        else BecomeOffline(failure);
        ScheduleProbe();
    }

    private void ScheduleProbe()
    {
        if (_forcedBy is not null) return;
        var delay = _state == ConnectivityState.Online ? _options.ProbeIntervalOnline : _backoff.Delay(_offlineProbes++);
        Timers.StartSingleTimer(ProbeTimerKey, ProbeTick.Instance, delay);
    }

    /// <summary>A state change decided by an answered request, not a probe: the next probe follows the new state's rhythm.</summary>
    private void RescheduleProbe()
    {
        if (_probe is null) ScheduleProbe(); // else the probe in flight schedules the next one
    }

    private bool BecomeOnline()
    {
        _offlineProbes = 0;
        if (_state == ConnectivityState.Online) return false;
        var wasOffline = _state == ConnectivityState.Offline;
        Change(ConnectivityState.Online);
        if (wasOffline) _log.Info("LLNG reachable again, switching to online mode");
        return true;
    }

    private bool BecomeOffline(string reason)
    {
        if (_state == ConnectivityState.Offline) return false;
        _offlineProbes = 0;
        Change(ConnectivityState.Offline);
        _log.Warning("LLNG unreachable, switching to offline mode ({0})", reason);
        return true;
    }

    private void Force(ConnectivityState state, string @operator)
    {
        Timers.Cancel(ProbeTimerKey);
        _forcedBy = @operator;
        _log.Warning("connectivity forced {0} by {1}", state == ConnectivityState.Online ? "online" : "offline", @operator);
        Change(state);
        Sender.Tell(Status());
    }

    private void ClearForce()
    {
        if (_forcedBy is not null)
        {
            _log.Info("connectivity force cleared by operator ({0})", _forcedBy);
            _forcedBy = null;
            _offlineProbes = 0;
            Change(_state);
            StartProbe(_services.Settings.OfflineTimeout);
        }
        Sender.Tell(Status());
    }

    private void Change(ConnectivityState state)
    {
        _state = state;
        _since = Now;
        Publish(Current());
    }

    private void Publish(ConnectivityChanged changed)
    {
        foreach (var subscriber in _subscribers) subscriber.Tell(changed);
        Context.System.EventStream.Publish(changed);
    }

    private ConnectivityChanged Current() => new(_state, _forcedBy, _since);

    private ConnectivityStatus Status() => new(_state, _forcedBy, _since, _lastProbe, _lastProbeSucceeded);

    private sealed record ProbeTick : INotInfluenceReceiveTimeout
    {
        public static readonly ProbeTick Instance = new();
    }

    private sealed record ProbeDone(long Id, bool Reachable);
    private sealed record ProbeTimedOut(long Id);
}
