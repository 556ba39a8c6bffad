using Akka.Configuration;

namespace OpenBastion.Actors;

/// <summary>The <c>obactors { }</c> tunables (see obactors.hocon for what each means).</summary>
public sealed record ObActorsOptions
{
    public int HashingWorkers { get; init; }
    public int StashBound { get; init; }
    public TimeSpan PassivationTimeout { get; init; }
    public int PassivationBufferBound { get; init; }
    public TimeSpan ProbeIntervalOnline { get; init; }
    public TimeSpan ProbeBackoffInitial { get; init; }
    public TimeSpan ProbeBackoffMax { get; init; }
    public double ProbeBackoffJitter { get; init; }
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

    /// <summary>Reads <c>obactors</c> from <paramref name="config"/>, falling back to the embedded defaults.</summary>
    public static ObActorsOptions From(Config? config)
    {
        var merged = config is null || config.IsEmpty ? ObActorsConfig.Default : config.WithFallback(ObActorsConfig.Default);
        var c = merged.GetConfig("obactors");
        var workers = c.GetInt("hashing.workers");
        return new ObActorsOptions
        {
            HashingWorkers = workers > 0 ? workers : Environment.ProcessorCount,
            StashBound = Math.Max(0, c.GetInt("user.stash-bound")),
            PassivationTimeout = c.GetTimeSpan("user.passivation-timeout"),
            PassivationBufferBound = Math.Max(1, c.GetInt("user.passivation-buffer-bound")),
            ProbeIntervalOnline = c.GetTimeSpan("connectivity.probe-interval-online"),
            ProbeBackoffInitial = c.GetTimeSpan("connectivity.probe-backoff-initial"),
            ProbeBackoffMax = c.GetTimeSpan("connectivity.probe-backoff-max"),
            ProbeBackoffJitter = Math.Clamp(c.GetDouble("connectivity.probe-backoff-jitter"), 0, 1),
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
