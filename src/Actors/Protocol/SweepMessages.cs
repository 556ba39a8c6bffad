using OpenBastion.Engine.Maintenance;

namespace OpenBastion.Actors.Protocol;

/// <summary>
/// Ask the janitor for a sweep now (DESIGN §3.3): <see cref="SweepKind.Cleanup"/> (the periodic sweep, the default)
/// or <see cref="SweepKind.Expire"/> (expired entries only). Reply: <see cref="SweepReport"/> when it is done.
/// </summary>
public sealed record SweepNow(SweepKind Kind = SweepKind.Cleanup)
{
    public static readonly SweepNow Instance = new();
}

/// <summary>What one sweep did.</summary>
public sealed record SweepReport(int Scanned, int ExpiredRemoved, int OrphanTempsRemoved, int Quarantined, int EmptyRemoved = 0);
