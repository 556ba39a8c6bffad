using Akka.Actor;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;

namespace OpenBastion.Actors;

/// <summary>What the actors need from the engine (DESIGN §2: Engine knows nothing of actors).</summary>
public sealed record ActorServices(
    EngineSettings Settings,
    ICredentialStore Store,
    IPasswordHasher Hasher,
    IOnlineAuthenticator Online,
    TimeProvider TimeProvider)
{
    /// <summary>
    /// Whether the cache may be changed (issue 10 item 4): frozen after a key change, nothing is quarantined,
    /// deleted or written by logins, the janitor or per-user admin commands. The daemon shares its guard with
    /// the admin handler; by default a fresh, unfrozen one.
    /// </summary>
    public CacheGuard Guard { get; init; } = new(TimeProvider);
}

/// <summary>
/// The top-level actors. Ask <see cref="Users"/> with <see cref="Protocol.Authenticate"/> (reply
/// <see cref="Protocol.AuthResult"/>) and the admin messages of <c>Protocol/Admin*.cs</c>;
/// <see cref="Connectivity"/> with the connectivity messages; <see cref="Janitor"/> with <see cref="Protocol.SweepNow"/>.
/// </summary>
public sealed record ObActorRefs(IActorRef Users, IActorRef Connectivity, IActorRef Janitor)
{
    /// <summary>The hashing gate (read-only figures for the host: queued jobs, jobs shed, average duration).</summary>
    public HashingGate? Hashing { get; init; }
}
