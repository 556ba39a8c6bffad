using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenBastion.Host.Admin;

// The structured results of the admin commands: the JSON text of ADMIN_RESPONSE (docs/PROTOCOL.md
// §3.4), produced the same way by the daemon and by the direct (daemon stopped) path, and rendered
// by AdminRenderer. Times are Unix seconds; absent values are null.

/// <summary>One row of <c>list</c>. <see cref="User"/> is null for an unreadable entry (its file key names it).</summary>
public sealed record EntryRow(
    string? User,
    string Key,
    string Status,
    long? Created,
    long? Expires,
    int? Failures,
    long? LockSeconds,
    string? Problem);

public sealed record EntryTotals(int Total, int Active, int Locked, int Expired, int Unreadable);

public sealed record ListReport(IReadOnlyList<EntryRow> Entries, EntryTotals Totals);

/// <summary>What <c>stats</c> shows; <see cref="Daemon"/> is null when the daemon does not run.</summary>
public sealed record StatsReport(
    string CacheDirectory,
    EntryTotals Totals,
    long DiskBytes,
    int Files,
    long? Oldest,
    long? Newest,
    DaemonFigures? Daemon,
    CacheKeyReport? CacheKey = null);

/// <summary>The key check: "ok", "mismatch" (the cache is frozen; <see cref="Problem"/> says why and what to do) or "unchecked".</summary>
public sealed record CacheKeyReport(string State, string? Problem);

/// <summary>The result of <c>rekey</c>.</summary>
public sealed record RekeyResult(string Message, int Rekeyed, int AlreadyCurrent, int Undecryptable, int Failed);

/// <summary>The running daemon's counters since it started, and its connectivity.</summary>
public sealed record DaemonFigures(
    ConnectivityReport Connectivity,
    long AuthRequests,
    long OfflineAuths,
    long OfflineSuccesses,
    long Lockouts,
    long ExpiredRemoved);

/// <summary>What <c>show USER</c> prints (never the verifier or its salt).</summary>
public sealed record EntryReport(
    string User,
    string Status,
    long? Created,
    long? Expires,
    long? LastSuccess,
    int Failures,
    long? LockedUntil,
    long? LockSeconds,
    string? Gecos,
    string? Shell,
    string? Home,
    string? Parameters);

/// <summary>The result of a change: what was done, in one line, and a count where it applies.</summary>
public sealed record ActionReport(string Message, int Count = 0);

/// <summary>expire / cleanup.</summary>
public sealed record SweepResult(int Scanned, int ExpiredRemoved, int TemporaryRemoved, int EmptyRemoved, int Quarantined);

public sealed record ConnectivityReport(string State, string? ForcedBy, long Since, long? LastProbe, bool? LastProbeSucceeded, CacheKeyReport? CacheKey = null);

public sealed record ConfigReport(string? ConfigFile, IReadOnlyList<string> Lines);

/// <summary>The result of <c>auth USER</c>: the outcome in the words of the bridge status, and how it was decided.</summary>
public sealed record AuthReport(string Outcome, bool Offline, long Seconds, string Message, string? Gecos, string? Shell, string? Home);

/// <summary>A refusal or failure: one line for the operator.</summary>
public sealed record ErrorReport(string Error);

internal static class AdminJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
    };

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T Read<T>(string text) =>
        JsonSerializer.Deserialize<T>(text, Options) ?? throw new JsonException("empty document");
}
