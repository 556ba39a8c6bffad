namespace OpenBastion.Actors.Connectivity;

/// <summary>
/// Delay before the n-th probe while offline (n = 0, 1, …): initial × 2^n capped at max, stretched
/// by a random fraction in [0, jitter) so that hosts do not probe the portal in step.
/// </summary>
public sealed class ProbeBackoff(TimeSpan initial, TimeSpan max, double jitter, Random random)
{
    public TimeSpan Delay(int attempt)
    {
        var seconds = initial.TotalSeconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(seconds, max.TotalSeconds);
        var stretched = capped * (1 + jitter * random.NextDouble());
        return TimeSpan.FromSeconds(stretched);
    }
}
