namespace OpenBastion.Actors.Protocol;

/// <summary>Ask the janitor for a sweep now (DESIGN §3.3). Reply: <see cref="SweepReport"/> when it is done.</summary>
public sealed record SweepNow
{
    public static readonly SweepNow Instance = new();
}

/// <summary>What one sweep did.</summary>
public sealed record SweepReport(int Scanned, int ExpiredRemoved, int OrphanTempsRemoved, int Quarantined);
