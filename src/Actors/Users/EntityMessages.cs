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
    /// <summary>Delete the entry if it is expired now; quarantine it if it is unreadable.</summary>
    ExpireIfStale,
    /// <summary>Delete the entry.</summary>
    Invalidate,
}

/// <summary>Routed by the registry to the live entity of <paramref name="Key"/>, or served by the registry when there is none.</summary>
internal sealed record KeyCommand(string Key, KeyAction Action) : INotInfluenceReceiveTimeout;

internal enum KeyOutcome { Kept, Missing, Removed, Quarantined, Failed }

/// <summary>Reply to <see cref="KeyCommand"/>.</summary>
internal sealed record KeySettled(string Key, KeyOutcome Outcome);

/// <summary>Start-up: tells the registry which janitor serves <see cref="Protocol.InvalidateAll"/>.</summary>
internal sealed record UseJanitor(IActorRef Janitor);
