using Akka.Configuration;

namespace OpenBastion.Actors;

/// <summary>The <c>obactors { }</c> tunables (see obactors.hocon for what each means).</summary>
public sealed record ObActorsOptions
{
    public int HashingWorkers { get; init; }
    /// <summary>Jobs that may wait in the hashing gate's queue (<c>hashing.queue-bound</c>; 0 = 256 × workers).</summary>
    public int HashingQueueBound { get; init; }
    public int StashBound { get; init; }
    public TimeSpan PassivationTimeout { get; init; }
    public int PassivationBufferBound { get; init; }
    public TimeSpan ProbeIntervalOnline { get; init; }
    public TimeSpan ProbeBackoffInitial { get; init; }
    public TimeSpan ProbeBackoffMax { get; init; }
    public double ProbeBackoffJitter { get; init; }
    /// <summary>
    /// How long a user actor's online call may stay unanswered before it asks the monitor to confirm
    /// the portal with a probe (<c>connectivity.confirm-after</c>); see <see cref="ConfirmAfterFor"/>.
    /// </summary>
    public TimeSpan ConfirmAfter { get; init; } = TimeSpan.FromMilliseconds(500);
    public int JanitorBatchSize { get; init; }
    public TimeSpan OrphanAge { get; init; }
    public string JanitorDispatcher { get; init; } = "";
    public TimeSpan AdminAskTimeout { get; init; }
    public TimeSpan SweepAskTimeout { get; init; }

    /// <summary>
    /// The resolution of the actor system's scheduler (<c>akka.scheduler.tick-duration</c>, 10 ms by default):
    /// a timer set for d fires between d and d + one tick.
    /// </summary>
    public TimeSpan SchedulerTick { get; init; } = DefaultSchedulerTick;

    public static readonly TimeSpan DefaultSchedulerTick = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// When a user actor stops waiting for LLNG: one scheduler tick before <paramref name="offlineTimeout"/>,
    /// so that the timer fires by offline_timeout at the latest, never after it (DESIGN §4: the first login of
    /// an outage waits at most offline_timeout). Never less than half the timeout.
    /// </summary>
    public TimeSpan OnlineCutFor(TimeSpan offlineTimeout)
    {
        var cut = offlineTimeout - SchedulerTick;
        return cut < offlineTimeout / 2 ? offlineTimeout / 2 : cut;
    }

    /// <summary>
    /// The suspicion delay for <paramref name="offlineTimeout"/>: <see cref="ConfirmAfter"/>, never more
    /// than half the timeout, so that the confirming probe has at least the other half as its budget.
    /// </summary>
    public TimeSpan ConfirmAfterFor(TimeSpan offlineTimeout)
    {
        var half = offlineTimeout / 2;
        return ConfirmAfter <= TimeSpan.Zero || ConfirmAfter > half ? half : ConfirmAfter;
    }

    /// <summary>Per hashing worker when <c>hashing.queue-bound</c> is 0 (see obactors.hocon for why 256).</summary>
    public const int DefaultQueuedJobsPerWorker = 256;

    /// <summary>Reads <c>obactors</c> from <paramref name="config"/>, falling back to the embedded defaults.</summary>
    public static ObActorsOptions From(Config? config)
    {
        var merged = config is null || config.IsEmpty ? ObActorsConfig.Default : config.WithFallback(ObActorsConfig.Default);
        var c = merged.GetConfig("obactors");
        var workers = c.GetInt("hashing.workers");
        if (workers <= 0) workers = Environment.ProcessorCount;
        var queueBound = c.GetInt("hashing.queue-bound", 0);
        return new ObActorsOptions
        {
            HashingWorkers = workers,
            HashingQueueBound = queueBound > 0 ? queueBound : DefaultQueuedJobsPerWorker * workers,
            StashBound = Math.Max(0, c.GetInt("user.stash-bound")),
            PassivationTimeout = c.GetTimeSpan("user.passivation-timeout"),
            PassivationBufferBound = Math.Max(1, c.GetInt("user.passivation-buffer-bound")),
            ProbeIntervalOnline = c.GetTimeSpan("connectivity.probe-interval-online"),
            ProbeBackoffInitial = c.GetTimeSpan("connectivity.probe-backoff-initial"),
            ProbeBackoffMax = c.GetTimeSpan("connectivity.probe-backoff-max"),
            ProbeBackoffJitter = Math.Clamp(c.GetDouble("connectivity.probe-backoff-jitter"), 0, 1),
            ConfirmAfter = c.GetTimeSpan("connectivity.confirm-after", TimeSpan.FromMilliseconds(500)),
            JanitorBatchSize = Math.Max(1, c.GetInt("janitor.batch-size")),
            OrphanAge = c.GetTimeSpan("janitor.orphan-age"),
            JanitorDispatcher = c.GetString("janitor.dispatcher", ""),
            AdminAskTimeout = c.GetTimeSpan("ask-timeout.admin"),
            SweepAskTimeout = c.GetTimeSpan("ask-timeout.sweep"),
            SchedulerTick = merged.HasPath("akka.scheduler.tick-duration")
                ? merged.GetTimeSpan("akka.scheduler.tick-duration") : DefaultSchedulerTick,
        };
    }
}
