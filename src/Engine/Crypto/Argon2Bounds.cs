namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Sane limits for Argon2 parameters read from a file or a configuration, so a damaged entry cannot ask
/// for terabytes of memory or a thousand-year computation.
/// </summary>
public static class Argon2Bounds
{
    public const int MaxMemoryKiB = 4 * 1024 * 1024; // 4 GiB
    public const int MaxIterations = 1024;
    public const int MaxParallelism = 255;

    public static bool IsValid(Argon2Parameters p) =>
        p.Parallelism is >= 1 and <= MaxParallelism
        && p.Iterations is >= 1 and <= MaxIterations
        && p.MemoryKiB >= 8 * p.Parallelism && p.MemoryKiB <= MaxMemoryKiB;

    public static void Check(Argon2Parameters p)
    {
        if (!IsValid(p))
            throw new ArgumentOutOfRangeException(nameof(p), p.ToString(),
                $"Argon2id parameters out of range (1 ≤ p ≤ {MaxParallelism}, 1 ≤ t ≤ {MaxIterations}, 8·p ≤ m ≤ {MaxMemoryKiB} KiB)");
    }
}
