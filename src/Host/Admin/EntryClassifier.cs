using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Host.Admin;

/// <summary>
/// Turns stored entries into the rows and facts the admin commands print, with the engine's own
/// policies (expiry before lock, like the user actor's inspection). Reads only.
/// </summary>
public static class EntryClassifier
{
    public const string Active = "ACTIVE";
    public const string Locked = "LOCKED";
    public const string Expired = "EXPIRED";
    public const string Unreadable = "UNREADABLE";
    public const string None = "NONE";

    public static string StatusOf(CredentialEntry entry, ExpiryPolicy expiry, DateTimeOffset now) =>
        expiry.IsExpired(entry, now) ? Expired
        : LockoutPolicy.IsLocked(entry, now) ? Locked
        : Active;

    /// <summary>The effective expiry: the sliding TTL capped by the absolute maximum age.</summary>
    public static long ExpiresAt(CredentialEntry entry, ExpiryPolicy expiry) =>
        Math.Min(entry.ExpiresAt, entry.CreatedAt + (long)expiry.MaxTtl.TotalSeconds);

    public static EntryRow Row(string key, ReadOutcome outcome, ExpiryPolicy expiry, DateTimeOffset now) => outcome switch
    {
        ReadOutcome.Found { Entry: var e } => new EntryRow(e.User, key, StatusOf(e, expiry, now), e.CreatedAt, ExpiresAt(e, expiry),
            e.FailedAttempts, LockoutPolicy.SecondsLeft(e, now), null),
        ReadOutcome.Unreadable u => new EntryRow(null, key, Unreadable, null, null, null, null, u.Failure.ToString()),
        _ => new EntryRow(null, key, None, null, null, null, null, "vanished"),
    };

    public static EntryReport Report(string user, CredentialEntry e, ExpiryPolicy expiry, DateTimeOffset now) =>
        new(user, StatusOf(e, expiry, now), e.CreatedAt, ExpiresAt(e, expiry), e.LastSuccess > 0 ? e.LastSuccess : null,
            e.FailedAttempts, e.LockedUntil > 0 ? e.LockedUntil : null, LockoutPolicy.SecondsLeft(e, now),
            e.Gecos, e.Shell, e.Home, e.EffectiveParameters.ToString());

    /// <summary>Reads every entry of <paramref name="store"/>: the <c>list</c> rows (users by name, unreadable ones last) and totals.</summary>
    public static ListReport Survey(ICredentialStore store, ExpiryPolicy expiry, DateTimeOffset now)
    {
        var rows = new List<EntryRow>();
        foreach (var file in store.Enumerate())
        {
            var row = Row(file.Key, store.ReadByKey(file.Key), expiry, now);
            if (row.Status != None) rows.Add(row);
        }
        rows.Sort((a, b) => (a.User, b.User) switch
        {
            (null, null) => string.CompareOrdinal(a.Key, b.Key),
            (null, _) => 1,
            (_, null) => -1,
            _ => string.CompareOrdinal(a.User, b.User),
        });
        return new ListReport(rows, Totals(rows));
    }

    public static EntryTotals Totals(IReadOnlyCollection<EntryRow> rows) => new(
        rows.Count,
        rows.Count(r => r.Status == Active),
        rows.Count(r => r.Status == Locked),
        rows.Count(r => r.Status == Expired),
        rows.Count(r => r.Status == Unreadable));

    /// <summary><c>stats</c> for <paramref name="store"/>; the caller adds the daemon's figures.</summary>
    public static StatsReport Stats(ICredentialStore store, ExpiryPolicy expiry, DateTimeOffset now, DaemonFigures? daemon)
    {
        var files = store.Enumerate();
        var list = Survey(store, expiry, now);
        var created = list.Entries.Where(r => r.Created is not null).Select(r => r.Created!.Value).ToList();
        return new StatsReport(store.Directory, list.Totals, files.Sum(f => f.Length), files.Count,
            created.Count > 0 ? created.Min() : null, created.Count > 0 ? created.Max() : null, daemon);
    }
}
