using Akka.Event;
using OpenBastion.Engine.Policy;

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

    /// <summary>The log line(s) of an offline login's event, in the seeds' words.</summary>
    public static void Offline(ILoggingAdapter log, string user, OfflineEvent logged)
    {
        switch (logged)
        {
            case OfflineEvent.Succeeded s:
                log.Info("offline auth success for user '{0}' (cached {1} ago)", user, Age(s.CachedFor));
                break;
            case OfflineEvent.Mismatched m:
                log.Warning("offline auth failed for user '{0}' (password mismatch, attempt {1}/{2})", user, m.Attempt, m.MaxAttempts);
                if (m.LockedForSeconds is { } lockedFor)
                    log.Warning("offline auth locked for user '{0}' (locked for {1}s)", user, lockedFor);
                break;
            case OfflineEvent.Blocked b:
                log.Warning("offline auth blocked for user '{0}' (locked for {1}s)", user, b.SecondsLeft);
                break;
            case OfflineEvent.Expired:
                log.Info("offline cache entry for user '{0}' expired, removed", user);
                break;
            case OfflineEvent.NotCached:
                log.Info("offline auth unavailable for user '{0}' (not cached)", user);
                break;
        }
    }
}
