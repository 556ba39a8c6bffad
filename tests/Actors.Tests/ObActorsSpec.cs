using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// Base of the actor specs: a TestKit on virtual time (TestScheduler) with the engine's doubles.
/// Policy time comes from the same scheduler through <see cref="SchedulerTimeProvider"/>.
/// </summary>
public abstract class ObActorsSpec : Akka.TestKit.Xunit2.TestKit
{
    protected const string BaseConfig = """
        akka.scheduler.implementation = "Akka.TestKit.TestScheduler, Akka.TestKit"
        akka.loglevel = DEBUG
        akka.test.timefactor = 1
        obactors.hashing.workers = 2
        obactors.user.stash-bound = 8
        obactors.connectivity.probe-backoff-jitter = 0
        """;

    protected ObActorsSpec(string extraConfig = "")
        : base(ConfigurationFactory.ParseString(BaseConfig + "\n" + extraConfig))
    {
        Time = new SchedulerTimeProvider(Sys.Scheduler);
        Store = new InMemoryCredentialStore(Time);
        Portal = new ScriptedPortal();
    }

    protected TestScheduler Scheduler => (TestScheduler)Sys.Scheduler;
    protected TimeProvider Time { get; }
    protected InMemoryCredentialStore Store { get; }
    protected CountingHasher Hasher { get; } = new();
    protected ScriptedPortal Portal { get; }
    /// <summary>The defaults, except that timed sweeps are rare: a spec that wants them sets the interval.</summary>
    protected EngineSettings Settings { get; set; } = EngineSettings.Defaults with { OfflineCacheCleanupInterval = TimeSpan.FromDays(30) };
    protected ObActorRefs Actors { get; private set; } = null!;

    protected DateTimeOffset VirtualNow => Time.GetUtcNow();

    /// <summary>The cache guard the engine is started with (freeze it before <see cref="Start"/> to start frozen).</summary>
    protected CacheGuard Guard { get; } = new();

    /// <summary>The engine's policy clock when not the scheduler's own (e.g. a HighWaterClock over it).</summary>
    protected TimeProvider? PolicyTime { get; set; }

    /// <summary>Starts the actors exactly as the daemon does.</summary>
    protected ObActorRefs Start(Engine.Online.IOnlineAuthenticator? online = null)
    {
        Actors = ObActors.Start(Sys, new ActorServices(Settings, Store, Hasher, online ?? Portal, PolicyTime ?? Time) { Guard = Guard });
        // Identify is served after PreStart: once answered, the actors' start-up timers are set
        // relative to this virtual time, and advancing the scheduler is deterministic.
        foreach (var actor in new[] { Actors.Users, Actors.Connectivity, Actors.Janitor })
        {
            actor.Tell(new Identify(null), TestActor);
            ExpectMsg<ActorIdentity>();
        }
        return Actors;
    }

    /// <summary>Starts the actors and waits until the first probe has marked LLNG online.</summary>
    protected ObActorRefs StartOnline(Engine.Online.IOnlineAuthenticator? online = null)
    {
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(ConnectivityChanged));
        Start(online);
        events.FishForMessage<ConnectivityChanged>(c => c.State == ConnectivityState.Online);
        return Actors;
    }

    /// <summary>Starts the actors and holds LLNG offline by operator (no online call, no probe).</summary>
    protected ObActorRefs StartOffline()
    {
        Start();
        Actors.Connectivity.Tell(new ForceOffline("spec"));
        ExpectMsg<ConnectivityStatus>(s => s.State == ConnectivityState.Offline);
        return Actors;
    }

    protected Authenticate Login(string user, string password, bool allowOffline = true, TimeSpan? within = null) =>
        new(user, Secret.FromString(password), "sshd", "192.0.2.1", null, allowOffline, VirtualNow + (within ?? TimeSpan.FromHours(1)));

    protected void Send(Authenticate login, IActorRef? replyTo = null) => Actors.Users.Tell(login, replyTo ?? TestActor);

    protected AuthResult Authenticate(string user, string password, bool allowOffline = true)
    {
        Send(Login(user, password, allowOffline));
        return ExpectMsg<AuthResult>();
    }

    /// <summary>A cached entry for <paramref name="user"/> written "online" at the current virtual time.</summary>
    protected CredentialEntry Cache(string user, string password, Argon2Parameters? parameters = null, int failures = 0, TimeSpan? age = null)
    {
        var p = parameters ?? Settings.Argon2;
        var salt = new byte[Argon2Parameters.SaltLength];
        Random.Shared.NextBytes(salt);
        var created = (VirtualNow - (age ?? TimeSpan.Zero)).ToUnixTimeSeconds();
        var entry = new CredentialEntry
        {
            User = user,
            CreatedAt = created,
            ExpiresAt = created + (long)Settings.OfflineCacheTtl.TotalSeconds,
            LastSuccess = created,
            FailedAttempts = failures,
            PasswordHash = CountingHasher.Compute(System.Text.Encoding.UTF8.GetBytes(password), salt, p),
            Salt = salt,
            Gecos = $"{user} (cached)",
            Shell = "/bin/zsh",
            Home = $"/home/{user}",
            Parameters = p == Argon2Parameters.Legacy ? null : p, // 0.6 entries carry no parameters
        };
        Store.Put(entry);
        return entry;
    }

    protected void Advance(TimeSpan by) => Scheduler.Advance(by);

    protected ConnectivityStatus Connectivity()
    {
        Actors.Connectivity.Tell(GetConnectivity.Instance);
        return ExpectMsg<ConnectivityStatus>();
    }

    /// <summary>Waits until the monitor has settled <paramref name="probes"/> probes (so the next probe timer is set).</summary>
    protected void AwaitProbesSettled(int probes)
    {
        AwaitCondition(() => Portal.Probes >= probes);
        AwaitAssert(() => Assert.Equal(VirtualNow, Connectivity().LastProbe));
    }

    /// <summary>The live entity of <paramref name="user"/>, or null (looked up by its key, as the registry names it).</summary>
    protected IActorRef? Entity(string user)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection("/user/users/" + InMemoryCredentialStore.KeyOf(user)).Tell(new Identify(user), probe.Ref);
        return probe.ExpectMsg<ActorIdentity>().Subject;
    }

    /// <summary>
    /// Proves on virtual time, without a wall-clock window, that <paramref name="user"/>'s entity has sent the test
    /// actor nothing so far: an Identify round trip through it (served in mailbox order, so after any timer the
    /// scheduler has fired for it) must be the next message.
    /// </summary>
    protected void ExpectNothingFromEntity(string user)
    {
        var entity = Entity(user) ?? throw new InvalidOperationException($"no live entity for {user}");
        entity.Tell(new Identify("round trip"), TestActor);
        Assert.Equal("round trip", ExpectMsg<ActorIdentity>().MessageId);
    }

    /// <summary>
    /// Proves that <paramref name="user"/>'s request is still waiting for LLNG: nothing answered (round trip
    /// through its entity) and its online call not cut (the entity cancels it synchronously when its wait ends).
    /// </summary>
    protected void ExpectStillWaitingForLlng(string user)
    {
        ExpectNothingFromEntity(user);
        Assert.False(Portal.CallCancelled(user));
    }

    /// <summary>The references of the live user entities (exactly <paramref name="expected"/> must answer).</summary>
    protected IReadOnlyList<IActorRef> UserEntities(int expected)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection("/user/users/*").Tell(new Identify("e"), probe.Ref);
        return Enumerable.Range(0, expected).Select(_ => probe.ExpectMsg<ActorIdentity>().Subject!).ToList();
    }
}
