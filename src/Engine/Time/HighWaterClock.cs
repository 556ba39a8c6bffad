using System.Buffers.Binary;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Engine.Time;

/// <summary>
/// Policy time that never goes back (issue 10 item 6): now = max(the inner clock, the highest time seen).
/// The high-water mark is persisted in the cache directory (<c>.clock</c>, 0600, atomic write) by
/// <see cref="Persist"/> — at start, periodically and at shutdown, never on a login's path — and loaded
/// at start, so a lock never ends early and an expired entry never comes back when the clock is set back,
/// even across a restart. Timers and timestamps (<see cref="GetTimestamp"/>) stay the inner clock's.
/// </summary>
public sealed class HighWaterClock : TimeProvider
{
    public const string FileName = ".clock";

    private readonly TimeProvider _inner;
    private readonly string? _path;
    private long _markTicks;

    /// <param name="inner">the system clock (or a fake)</param>
    /// <param name="cacheDir">where <c>.clock</c> lives; null keeps the mark in memory only</param>
    /// <param name="floor">a time already known to have been seen (e.g. the newest entry's), or null</param>
    public HighWaterClock(TimeProvider inner, string? cacheDir, DateTimeOffset? floor = null)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _path = cacheDir is null ? null : Path.Combine(cacheDir, FileName);
        var mark = Math.Max(LoadMark(_path), floor?.UtcTicks ?? 0);
        _markTicks = Math.Max(mark, inner.GetUtcNow().UtcTicks);
        PersistedMark = new DateTimeOffset(mark, TimeSpan.Zero);
    }

    /// <summary>The mark read from <c>.clock</c> (and the floor) at construction.</summary>
    public DateTimeOffset PersistedMark { get; }

    /// <summary>The highest time seen so far.</summary>
    public DateTimeOffset Mark => new(Interlocked.Read(ref _markTicks), TimeSpan.Zero);

    /// <summary>How far the inner clock is behind the mark (zero when it is not).</summary>
    public TimeSpan Lag
    {
        get
        {
            var lag = Mark - _inner.GetUtcNow();
            return lag > TimeSpan.Zero ? lag : TimeSpan.Zero;
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        var inner = _inner.GetUtcNow().UtcTicks;
        long seen;
        while (inner > (seen = Interlocked.Read(ref _markTicks)))
            if (Interlocked.CompareExchange(ref _markTicks, inner, seen) == seen) return new DateTimeOffset(inner, TimeSpan.Zero);
        return new DateTimeOffset(Math.Max(inner, seen), TimeSpan.Zero);
    }

    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;
    public override long TimestampFrequency => _inner.TimestampFrequency;
    public override long GetTimestamp() => _inner.GetTimestamp();
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        _inner.CreateTimer(callback, state, dueTime, period);

    /// <summary>Writes the current mark to <c>.clock</c> (atomically). Throws <see cref="CredentialStoreException"/>.</summary>
    public void Persist()
    {
        if (_path is null) return;
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, GetUtcNow().UtcTicks);
        try
        {
            AtomicFile.Write(_path, bytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot persist the time high-water mark {_path}: {ex.Message}", ex);
        }
    }

    private static long LoadMark(string? path)
    {
        if (path is null) return 0;
        byte[]? bytes;
        try
        {
            bytes = AtomicFile.ReadSmall(path, 64);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot read the time high-water mark {path}: {ex.Message}", ex);
        }
        if (bytes is null) return 0;
        if (bytes.Length != 8) throw new CredentialStoreException($"the time high-water mark {path} holds {bytes.Length} bytes, 8 expected; remove it with the daemon stopped");
        var ticks = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return ticks is >= 0 and <= 3155378975999999999 ? ticks : throw new CredentialStoreException($"the time high-water mark {path} is out of range");
    }
}
