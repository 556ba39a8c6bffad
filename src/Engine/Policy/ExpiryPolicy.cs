using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Policy;

/// <summary>
/// Sliding TTL capped by an absolute maximum age (DESIGN §3.3). Pure: time is passed in.
/// </summary>
public sealed class ExpiryPolicy(TimeSpan ttl, TimeSpan maxTtl)
{
    public static ExpiryPolicy From(EngineSettings s) => new(s.OfflineCacheTtl, s.OfflineCacheMaxTtl);

    public TimeSpan Ttl { get; } = ttl;
    public TimeSpan MaxTtl { get; } = maxTtl;

    /// <summary>Expired when now ≥ expires_at or now ≥ created_at + max TTL.</summary>
    public bool IsExpired(CredentialEntry entry, DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds();
        return t >= entry.ExpiresAt || t >= entry.CreatedAt + (long)MaxTtl.TotalSeconds;
    }

    /// <summary>A fresh entry's times after an online success at <paramref name="now"/>.</summary>
    public (long CreatedAt, long ExpiresAt) OnOnlineSuccess(DateTimeOffset now)
    {
        var t = now.ToUnixTimeSeconds();
        return (t, t + (long)Ttl.TotalSeconds);
    }

    /// <summary>expires_at after an offline success: min(now + ttl, created_at + max TTL).</summary>
    public long SlideOnOfflineSuccess(CredentialEntry entry, DateTimeOffset now) =>
        Math.Min(now.ToUnixTimeSeconds() + (long)Ttl.TotalSeconds, entry.CreatedAt + (long)MaxTtl.TotalSeconds);
}
