using Akka.Actor;

namespace OpenBastion.Actors.Users;

/// <summary>Child → registry: I have been idle; stop me (the registry buffers my messages meanwhile).</summary>
internal sealed record Passivate : INotInfluenceReceiveTimeout
{
    public static readonly Passivate Instance = new();
}

/// <summary>Registry → child, after <see cref="Passivate"/>: the last message; everything before it is served first.</summary>
internal sealed record StopEntity
{
    public static readonly StopEntity Instance = new();
}

/// <summary>What the janitor (or invalidate-all) asks of one entry, decided by the entity that owns the key.</summary>
internal enum KeyAction
{
    /// <summary>cleanup's rule (<see cref="Engine.Maintenance.SweepKind.Cleanup"/>): delete it if expired or empty, quarantine it if unreadable.</summary>
    Cleanup,
    /// <summary>expire's rule (<see cref="Engine.Maintenance.SweepKind.Expire"/>): delete it if expired.</summary>
    Expire,
    /// <summary>Delete the entry.</summary>
    Invalidate,
}

/// <summary>
/// Routed by the registry to the entity of <paramref name="Key"/>, created for it if need be
/// (<paramref name="SpawnedForIt"/>, set by the registry: the entity passivates once it is settled).
/// </summary>
internal sealed record KeyCommand(string Key, KeyAction Action, bool SpawnedForIt = false) : INotInfluenceReceiveTimeout;

/// <summary>Reply to <see cref="KeyCommand"/>.</summary>
internal sealed record KeySettled(string Key, Engine.Maintenance.KeyOutcome Outcome);

/// <summary>Start-up: tells the registry which janitor serves <see cref="Protocol.InvalidateAll"/>.</summary>
internal sealed record UseJanitor(IActorRef Janitor);
