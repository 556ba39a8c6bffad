namespace OpenBastion.Engine.Cache;

/// <summary>Whether the cache may be changed, and why not.</summary>
public enum CacheKeyState
{
    /// <summary>Not checked (tests, or a store opened without the check).</summary>
    Unchecked,
    /// <summary>The key-check marker matches the key in use (or was just written for it).</summary>
    Ok,
    /// <summary>The key material changed since the cache was written: the cache is frozen.</summary>
    Mismatch,
}

/// <summary>
/// Keeps a key change from destroying the cache (issue 10 item 4). Frozen — because the key-check marker
/// does not match, or because most entries stopped decrypting at once — nothing in the cache is
/// quarantined, deleted or written, except by the explicit recovery commands (<c>rekey</c>, <c>clear</c>),
/// which <see cref="Thaw"/> it. Thread-safe; shared by every reader of the cache in the process.
/// </summary>
/// <remarks>
/// Run-time rule: an entry that fails to authenticate (<see cref="ReadFailure.AuthenticationFailed"/>) while
/// the marker matches is corrupt or tampered and may be quarantined, unless within <see cref="Window"/> at
/// least <see cref="MinDistinctFailures"/> distinct entries failed and failures are the majority of the
/// reads recorded there: then the cache freezes, and that entry (and every later one) is left in place.
/// </remarks>
public sealed class CacheGuard(TimeProvider? time = null)
{
    public const int MinDistinctFailures = 3;
    public const int MaxRecentReads = 64;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(10);

    public const string MismatchAdvice =
        "key material changed since the cache was written; nothing is quarantined; restore the key file (or machine-id) and restart, " +
        "or run `ob-cache-admin rekey --from-key-file OLD` / `clear`";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly object _lock = new();
    private readonly Queue<(long At, string Key, bool Failed)> _recent = new();
    private CacheKeyState _state = CacheKeyState.Unchecked;
    private string? _reason;
    private DateTimeOffset? _since;

    /// <summary>The key check's verdict (Mismatch while frozen for any reason).</summary>
    public CacheKeyState State { get { lock (_lock) return _state; } }

    /// <summary>True while nothing may be quarantined, deleted or written.</summary>
    public bool Frozen => State == CacheKeyState.Mismatch;

    /// <summary>Why it is frozen (for the logs and <c>ob-cache-admin status</c>), null when not.</summary>
    public string? Reason { get { lock (_lock) return _reason; } }

    /// <summary>When it froze.</summary>
    public DateTimeOffset? Since { get { lock (_lock) return _since; } }

    /// <summary>The start-up check passed (marker matches or was written).</summary>
    public void MarkChecked()
    {
        lock (_lock)
        {
            if (_state == CacheKeyState.Unchecked) _state = CacheKeyState.Ok;
        }
    }

    /// <summary>Freezes the cache. The first reason is kept.</summary>
    public void Freeze(string reason)
    {
        lock (_lock)
        {
            if (_state == CacheKeyState.Mismatch) return;
            _state = CacheKeyState.Mismatch;
            _reason = reason;
            _since = _time.GetUtcNow();
        }
    }

    /// <summary>After a rekey or a clear that rewrote the marker: the cache is usable again.</summary>
    public void Thaw()
    {
        lock (_lock)
        {
            _state = CacheKeyState.Ok;
            _reason = null;
            _since = null;
            _recent.Clear();
        }
    }

    /// <summary>An entry read and decrypted.</summary>
    public void RecordReadable(string key) => Record(key, failed: false);

    /// <summary>
    /// An entry that failed with <see cref="ReadFailure.AuthenticationFailed"/>. Returns true when it may be
    /// quarantined (one corrupt entry), false when the cache is (now) frozen.
    /// </summary>
    public bool RecordAuthenticationFailure(string key)
    {
        Record(key, failed: true);
        lock (_lock)
        {
            if (_state == CacheKeyState.Mismatch) return false;
            var failing = _recent.Where(r => r.Failed).Select(r => r.Key).Distinct(StringComparer.Ordinal).Count();
            var failures = _recent.Count(r => r.Failed);
            if (failing >= MinDistinctFailures && failures * 2 > _recent.Count)
            {
                _state = CacheKeyState.Mismatch;
                _reason = $"{failing} distinct entries stopped decrypting within {Window.TotalMinutes:0} minutes; " +
                          "the cache is frozen (nothing is quarantined); check the key file and machine-id, then restart";
                _since = _time.GetUtcNow();
                return false;
            }
            return true;
        }
    }

    private void Record(string key, bool failed)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _recent.Enqueue((now, key, failed));
            while (_recent.Count > MaxRecentReads || (_recent.Count > 0 && _time.GetElapsedTime(_recent.Peek().At, now) > Window))
                _recent.Dequeue();
        }
    }
}
