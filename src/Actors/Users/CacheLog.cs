namespace OpenBastion.Actors.Users;

/// <summary>Wording helpers for the log lines of DESIGN §3.10.</summary>
internal static class CacheLog
{
    /// <summary>"6h", "12m", "40s", "3d".</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;
        if (age.TotalDays >= 2) return $"{(long)age.TotalDays}d";
        if (age.TotalHours >= 1) return $"{(long)age.TotalHours}h";
        if (age.TotalMinutes >= 1) return $"{(long)age.TotalMinutes}m";
        return $"{(long)age.TotalSeconds}s";
    }
}
