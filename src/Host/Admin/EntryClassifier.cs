using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Maintenance;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Host.Admin;

/// <summary>
/// Turns stored entries into the rows and facts the admin commands print. The status ladder and the
/// effective expiry are Engine's (<see cref="EntryDescription"/>), the same the user actor answers. Reads only.
/// </summary>
public static class EntryClassifier
{
    public static string StatusText(EntryStatus status) => status.ToString().ToUpperInvariant();

    public static EntryRow Row(string key, ReadOutcome outcome, ExpiryPolicy expiry, DateTimeOffset now)
    {
        var d = EntryDescription.Of(outcome, expiry, now);
        return d.Status switch
        {
            EntryStatus.Unreadable => new EntryRow(null, key, StatusText(d.Status), null, null, null, null, d.Failure.ToString()),
            EntryStatus.None => new EntryRow(null, key, StatusText(d.Status), null, null, null, null, "vanished"),
            _ => new EntryRow(d.User, key, StatusText(d.Status), d.CreatedAt, d.ExpiresAt, d.Failures, d.LockSecondsLeft, null),
        };
    }

    public static EntryReport Report(string user, EntryDescription e) =>
        new(user, StatusText(e.Status), e.CreatedAt, e.ExpiresAt, e.LastSuccess, e.Failures, e.LockedUntil, e.LockSecondsLeft,
            e.Gecos, e.Shell, e.Home, e.Parameters);

    /// <summary>Reads every entry of <paramref name="store"/>: the <c>list</c> rows (users by name, unreadable ones last) and totals.</summary>
    public static ListReport Survey(ICredentialStore store, ExpiryPolicy expiry, DateTimeOffset now)
    {
        var rows = new List<EntryRow>();
        foreach (var file in store.Enumerate())
        {
            var row = Row(file.Key, store.ReadByKey(file.Key), expiry, now);
            if (row.Status != StatusText(EntryStatus.None)) rows.Add(row);
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
        rows.Count(r => r.Status == StatusText(EntryStatus.Active)),
        rows.Count(r => r.Status == StatusText(EntryStatus.Locked)),
        rows.Count(r => r.Status == StatusText(EntryStatus.Expired)),
        rows.Count(r => r.Status == StatusText(EntryStatus.Unreadable)));

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
