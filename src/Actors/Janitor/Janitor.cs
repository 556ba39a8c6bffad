using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Users;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Maintenance;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Janitor;

/// <summary>
/// Keeps the cache directory clean (DESIGN §3.3): every offline_cache_cleanup_interval and on
/// <see cref="SweepNow"/>, removes orphaned temporary files (cleanup only), then reads the entries in batches
/// and sends each stale one (expired, or for cleanup unreadable or empty) to the registry as a
/// <see cref="KeyCommand"/>, so the entity that owns the key decides, by Engine's <see cref="CacheMaintenance"/> — never racing an authentication of the same user. The
/// reads happen here, on the janitor's own thread, not on the registry's; the next batch starts
/// when the previous one is settled. Every report is also published on the EventStream.
/// Also runs <see cref="InvalidateAll"/> the same way.
/// </summary>
internal sealed class Janitor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private const string SweepTimerKey = "sweep";

    private readonly ActorServices _services;
    private readonly IActorRef _registry;
    private readonly ObActorsOptions _options;
    private readonly CacheMaintenance _maintenance;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Job? _job;

    public Janitor(ActorServices services, IActorRef registry, ObActorsOptions options)
    {
        _services = services;
        _registry = registry;
        _options = options;
        _maintenance = new CacheMaintenance(services.Store, ExpiryPolicy.From(services.Settings), services.Guard);
        Idle();
    }

    public static Props Props(ActorServices services, IActorRef registry, ObActorsOptions options) =>
        Akka.Actor.Props.Create(() => new Janitor(services, registry, options));

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(SweepTimerKey, SweepTick.Instance, _services.Settings.OfflineCacheCleanupInterval);

    private void Idle()
    {
        Receive<SweepTick>(_ => Start(JobKind.Sweep, SweepKind.Cleanup, null));
        Receive<SweepNow>(m => Start(JobKind.Sweep, m.Kind, Sender));
        Receive<InvalidateAll>(_ => Start(JobKind.InvalidateAll, SweepKind.Cleanup, Sender));
        Receive<KeySettled>(_ => { });
    }

    private void Working()
    {
        Receive<SweepTick>(_ => { }); // a sweep is already running
        Receive<NextBatch>(_ => RunBatch());
        Receive<KeySettled>(OnSettled);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Start(JobKind kind, SweepKind sweep, IActorRef? replyTo)
    {
        var job = new Job(kind, sweep, replyTo);
        if (kind == JobKind.Sweep && _services.Guard.Frozen)
        {
            // Frozen (key material changed): nothing is removed or quarantined; said at every sweep.
            _log.Error("cache sweep skipped: offline cache frozen ({0})", _services.Guard.Reason);
            var skipped = new SweepReport(0, 0, 0, 0);
            replyTo?.Tell(skipped);
            Context.System.EventStream.Publish(skipped);
            return;
        }
        try
        {
            if (kind == JobKind.Sweep && sweep == SweepKind.Cleanup) job.OrphansRemoved = RemoveOrphans();
            job.Files = _services.Store.Enumerate();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error("cache sweep could not list {0} ({1})", _services.Store.Directory, ex.GetType().Name);
        }
        _job = job;
        Become(Working);
        Self.Tell(NextBatch.Instance);
    }

    private int RemoveOrphans()
    {
        var (removed, failed) = _maintenance.RemoveOrphans(_options.OrphanAge);
        foreach (var path in failed) _log.Warning("orphaned temporary file {0} could not be removed", path);
        return removed;
    }

    private void RunBatch()
    {
        var job = _job!;
        var now = _services.TimeProvider.GetUtcNow();
        var end = Math.Min(job.Files.Count, job.Next + _options.JanitorBatchSize);
        for (; job.Next < end; job.Next++)
        {
            var file = job.Files[job.Next];
            job.Scanned++;
            if (job.Kind == JobKind.Sweep && !LooksStale(file, job.Sweep, now)) continue;
            job.Pending++;
            _registry.Tell(new KeyCommand(file.Key, job.Kind == JobKind.InvalidateAll ? KeyAction.Invalidate
                : job.Sweep == SweepKind.Expire ? KeyAction.Expire : KeyAction.Cleanup));
        }
        if (job.Pending == 0) Continue();
    }

    /// <summary>A first look from here (recorded in the cache guard); the owner of the key re-reads and decides.</summary>
    private bool LooksStale(StoredFile file, SweepKind kind, DateTimeOffset now)
    {
        if (_maintenance.LooksStale(file.Key, kind, now, out var ioError)) return true;
        if (ioError is not null) _log.Error("cache sweep: offline cache file {0} could not be read ({1}); skipped", file.Key, ioError);
        return kind == SweepKind.Cleanup && file.Length == 0;
    }

    private void OnSettled(KeySettled settled)
    {
        var job = _job!;
        job.Tally.Add(settled.Outcome);
        if (--job.Pending == 0) Continue();
    }

    private void Continue()
    {
        var job = _job!;
        if (job.Next < job.Files.Count)
        {
            Self.Tell(NextBatch.Instance);
            return;
        }
        if (job.Kind == JobKind.Sweep)
        {
            var report = new SweepReport(job.Scanned, job.Tally.ExpiredRemoved, job.OrphansRemoved, job.Tally.Quarantined, job.Tally.EmptyRemoved);
            _log.Info("cache sweep ({0}): {1} entries scanned, {2} expired removed, {3} orphaned temporary files removed, {4} empty removed, {5} quarantined",
                job.Sweep, report.Scanned, report.ExpiredRemoved, report.OrphanTempsRemoved, report.EmptyRemoved, report.Quarantined);
            job.ReplyTo?.Tell(report);
            Context.System.EventStream.Publish(report); // metrics count every sweep, timed or requested
        }
        else
        {
            _log.Warning("offline cache invalidated by operator: {0} entries removed", job.Tally.Removed);
            job.ReplyTo?.Tell(new InvalidateAllResult(job.Tally.Removed));
        }
        _job = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private enum JobKind { Sweep, InvalidateAll }

    private sealed class Job(JobKind kind, SweepKind sweep, IActorRef? replyTo)
    {
        public JobKind Kind { get; } = kind;
        public SweepKind Sweep { get; } = sweep;
        public SweepTally Tally { get; } = new();
        public IActorRef? ReplyTo { get; } = replyTo;
        public IReadOnlyList<StoredFile> Files { get; set; } = [];
        public int Next { get; set; }
        public int Pending { get; set; }
        public int Scanned { get; set; }
        public int OrphansRemoved { get; set; }
    }

    private sealed record SweepTick : INotInfluenceReceiveTimeout
    {
        public static readonly SweepTick Instance = new();
    }

    private sealed record NextBatch
    {
        public static readonly NextBatch Instance = new();
    }
}
