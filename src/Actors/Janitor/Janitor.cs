using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Users;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Janitor;

/// <summary>
/// Keeps the cache directory clean (DESIGN §3.3): every offline_cache_cleanup_interval and on
/// <see cref="SweepNow"/>, removes orphaned temporary files, then reads the entries in batches and
/// sends each stale one (expired or unreadable) to the registry as a <see cref="KeyCommand"/>, so
/// the entity that owns the key decides — never racing an authentication of the same user. The
/// reads happen here, on the janitor's own thread, not on the registry's; the next batch starts
/// when the previous one is settled. Every report is also published on the EventStream.
/// Also runs <see cref="InvalidateAll"/> the same way.
/// </summary>
internal sealed class Janitor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private const string SweepTimerKey = "sweep";

    private readonly EngineServices _services;
    private readonly IActorRef _registry;
    private readonly ObActorsOptions _options;
    private readonly ExpiryPolicy _expiry;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Job? _job;

    public Janitor(EngineServices services, IActorRef registry, ObActorsOptions options)
    {
        _services = services;
        _registry = registry;
        _options = options;
        _expiry = ExpiryPolicy.From(services.Settings);
        Idle();
    }

    public static Props Props(EngineServices services, IActorRef registry, ObActorsOptions options) =>
        Akka.Actor.Props.Create(() => new Janitor(services, registry, options));

    public ITimerScheduler Timers { get; set; } = null!;
    public IStash Stash { get; set; } = null!;

    protected override void PreStart() =>
        Timers.StartPeriodicTimer(SweepTimerKey, SweepTick.Instance, _services.Settings.OfflineCacheCleanupInterval);

    private void Idle()
    {
        Receive<SweepTick>(_ => Start(JobKind.Sweep, null));
        Receive<SweepNow>(_ => Start(JobKind.Sweep, Sender));
        Receive<InvalidateAll>(_ => Start(JobKind.InvalidateAll, Sender));
        Receive<KeySettled>(_ => { });
    }

    private void Working()
    {
        Receive<SweepTick>(_ => { }); // a sweep is already running
        Receive<NextBatch>(_ => RunBatch());
        Receive<KeySettled>(OnSettled);
        ReceiveAny(_ => Stash.Stash());
    }

    private void Start(JobKind kind, IActorRef? replyTo)
    {
        var job = new Job(kind, replyTo);
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
            if (kind == JobKind.Sweep) job.OrphansRemoved = RemoveOrphans();
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
        var removed = 0;
        foreach (var path in _services.Store.OrphanedTemporaryFiles(_options.OrphanAge))
        {
            try
            {
                _services.Store.RemoveTemporaryFile(path);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _log.Warning("orphaned temporary file {0} could not be removed ({1})", path, ex.GetType().Name);
            }
        }
        return removed;
    }

    private void RunBatch()
    {
        var job = _job!;
        var now = _services.TimeProvider.GetUtcNow();
        var end = Math.Min(job.Files.Count, job.Next + _options.JanitorBatchSize);
        for (; job.Next < end; job.Next++)
        {
            var key = job.Files[job.Next].Key;
            job.Scanned++;
            if (job.Kind == JobKind.Sweep && !LooksStale(key, now)) continue;
            job.Pending++;
            _registry.Tell(new KeyCommand(key, job.Kind == JobKind.Sweep ? KeyAction.ExpireIfStale : KeyAction.Invalidate));
        }
        if (job.Pending == 0) Continue();
    }

    /// <summary>A first look from here; the owner of the key re-reads and decides.</summary>
    /// <remarks>
    /// Every read is recorded in the guard: when most entries stop decrypting at once the cache freezes and
    /// nothing more is quarantined. An entry that cannot be read (I/O, permissions) is skipped, never stale.
    /// </remarks>
    private bool LooksStale(string key, DateTimeOffset now)
    {
        switch (_services.Store.ReadByKey(key))
        {
            case ReadOutcome.Found f:
                _services.Guard.RecordReadable(key);
                return _expiry.IsExpired(f.Entry, now);
            case ReadOutcome.Unreadable { Failure: ReadFailure.IoError } io:
                _log.Error("cache sweep: offline cache file {0} could not be read ({1}); skipped", key, io.Detail);
                return false;
            case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed }:
                return _services.Guard.RecordAuthenticationFailure(key);
            case ReadOutcome.Unreadable:
                return true;
            default:
                return false;
        }
    }

    private void OnSettled(KeySettled settled)
    {
        var job = _job!;
        if (settled.Outcome == KeyOutcome.Removed) job.Removed++;
        if (settled.Outcome == KeyOutcome.Quarantined) job.Quarantined++;
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
            var report = new SweepReport(job.Scanned, job.Removed, job.OrphansRemoved, job.Quarantined);
            _log.Info("cache sweep: {0} entries scanned, {1} expired removed, {2} orphaned temporary files removed, {3} quarantined",
                report.Scanned, report.ExpiredRemoved, report.OrphanTempsRemoved, report.Quarantined);
            job.ReplyTo?.Tell(report);
            Context.System.EventStream.Publish(report); // metrics count every sweep, timed or requested
        }
        else
        {
            _log.Warning("offline cache invalidated by operator: {0} entries removed", job.Removed);
            job.ReplyTo?.Tell(new InvalidateAllResult(job.Removed));
        }
        _job = null;
        Become(Idle);
        Stash.UnstashAll();
    }

    private enum JobKind { Sweep, InvalidateAll }

    private sealed class Job(JobKind kind, IActorRef? replyTo)
    {
        public JobKind Kind { get; } = kind;
        public IActorRef? ReplyTo { get; } = replyTo;
        public IReadOnlyList<StoredFile> Files { get; set; } = [];
        public int Next { get; set; }
        public int Pending { get; set; }
        public int Scanned { get; set; }
        public int Removed { get; set; }
        public int Quarantined { get; set; }
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
