namespace OpenBastion.Host.Bridge;

/// <summary>A token bucket's answer.</summary>
public enum RateDecision
{
    /// <summary>A token was taken.</summary>
    Allowed,
    /// <summary>No token: the first refusal since this key was last allowed (worth a log line).</summary>
    Refused,
    /// <summary>No token, and this key was already refused since it was last allowed (a flood: not logged again).</summary>
    RefusedAgain,
}

/// <summary>
/// Token buckets for the bridge's non-root peers: each key starts with <c>burst</c> tokens, an
/// authentication request takes one, and one token comes back every <c>refill</c> (never more than
/// <c>burst</c>). An empty bucket means the request is answered BUSY without reaching an actor. Time is
/// the injected <see cref="TimeProvider"/>'s monotonic timestamp, so tests run on virtual time.
/// Thread-safe; buckets that are full again are forgotten when too many are tracked, and while
/// <see cref="MaxTracked"/> buckets are all in use a new key is refused (memory stays bounded).
/// </summary>
public sealed class PeerRateLimiter
{
    /// <summary>Buckets kept before the full ones are pruned (a full bucket is the same as no bucket).</summary>
    public const int MaxTracked = 4096;

    private readonly int _burst;
    private readonly long _ticksPerToken;
    private readonly TimeProvider _time;
    private readonly Dictionary<(uint Uid, string? User), Bucket> _buckets = new();
    private readonly Lock _gate = new();

    public PeerRateLimiter(int burst, TimeSpan refill, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(burst, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(refill, TimeSpan.Zero);
        _burst = burst;
        _time = time;
        _ticksPerToken = Math.Max(1, (long)(refill.TotalSeconds * time.TimestampFrequency));
    }

    /// <summary>Buckets tracked right now (tests).</summary>
    public int Tracked
    {
        get
        {
            lock (_gate) return _buckets.Count;
        }
    }

    /// <summary>Takes a token from the bucket of (<paramref name="uid"/>, <paramref name="user"/>); false when it is empty.</summary>
    public bool TryTake(uint uid, string? user = null) => Take(uid, user) == RateDecision.Allowed;

    /// <summary>Takes a token from the bucket of (<paramref name="uid"/>, <paramref name="user"/>), telling a first refusal from a repeated one.</summary>
    public RateDecision Take(uint uid, string? user = null)
    {
        var now = _time.GetTimestamp();
        lock (_gate)
        {
            var key = (uid, user);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count >= MaxTracked) Prune(now);
                if (_buckets.Count >= MaxTracked) return RateDecision.RefusedAgain; // every bucket in use: a flood of keys
                bucket = new Bucket { Tokens = _burst, Stamp = now };
                _buckets[key] = bucket;
            }
            Refill(bucket, now);
            if (bucket.Tokens == 0)
            {
                if (bucket.Refusing) return RateDecision.RefusedAgain;
                bucket.Refusing = true;
                return RateDecision.Refused;
            }
            bucket.Tokens--;
            bucket.Refusing = false;
            return RateDecision.Allowed;
        }
    }

    private void Refill(Bucket bucket, long now)
    {
        if (bucket.Tokens >= _burst)
        {
            bucket.Stamp = now;
            return;
        }
        var earned = (now - bucket.Stamp) / _ticksPerToken;
        if (earned <= 0) return;
        if (earned >= _burst - bucket.Tokens)
        {
            bucket.Tokens = _burst;
            bucket.Stamp = now;
        }
        else
        {
            bucket.Tokens += (int)earned;
            bucket.Stamp += earned * _ticksPerToken; // keeps the fraction of the next token
        }
    }

    private void Prune(long now)
    {
        foreach (var (key, bucket) in _buckets.ToArray())
        {
            Refill(bucket, now);
            if (bucket.Tokens >= _burst) _buckets.Remove(key);
        }
    }

    private sealed class Bucket
    {
        public int Tokens;
        public long Stamp;
        public bool Refusing;
    }
}
