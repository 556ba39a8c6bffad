using System.Globalization;
using System.Text;
using OpenBastion.Wire;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>The text <c>ob-cache-admin</c> prints for a successful reply (JSON of AdminReports.cs).</summary>
public static class AdminRenderer
{
    public static string Render(AdminCommand command, string json, bool quiet, DateTimeOffset now, bool direct) => command switch
    {
        AdminCommand.List => List(AdminJson.Read<ListReport>(json), quiet),
        AdminCommand.Stats => Stats(AdminJson.Read<StatsReport>(json), quiet, now),
        AdminCommand.Show => Show(AdminJson.Read<EntryReport>(json), quiet),
        AdminCommand.Expire or AdminCommand.Cleanup => Sweep(command, AdminJson.Read<SweepResult>(json), quiet),
        AdminCommand.Config => Config(AdminJson.Read<ConfigReport>(json)),
        AdminCommand.Status or AdminCommand.ForceOffline or AdminCommand.ForceOnline or AdminCommand.ClearForce =>
            Connectivity(AdminJson.Read<ConnectivityReport>(json), quiet, now),
        AdminCommand.Auth => Auth(AdminJson.Read<AuthReport>(json), quiet),
        AdminCommand.Rekey => quiet ? "" : AdminJson.Read<RekeyResult>(json).Message + "\n",
        _ => quiet ? "" : AdminJson.Read<ActionReport>(json).Message + "\n",
    };

    public static string List(ListReport report, bool quiet)
    {
        var b = new StringBuilder();
        if (quiet)
        {
            // user (or the file key when unreadable), status, expiry (Unix seconds), failures, lock seconds; '-' when unknown.
            foreach (var r in report.Entries)
                b.Append(CultureInfo.InvariantCulture,
                    $"{r.User ?? r.Key}\t{r.Status}\t{Dash(r.Expires)}\t{Dash(r.Failures)}\t{Dash(r.LockSeconds)}\n");
            return b.ToString();
        }
        var width = Math.Max(4, report.Entries.Select(r => Name(r).Length).DefaultIfEmpty(0).Max());
        b.Append(CultureInfo.InvariantCulture, $"{"USER".PadRight(width)}  {"STATUS",-10}  {"EXPIRES",-20}  {"FAILURES",8}  LOCK REMAINING\n");
        foreach (var r in report.Entries)
        {
            var failures = r.Failures?.ToString(CultureInfo.InvariantCulture) ?? "-";
            var locked = r.LockSeconds is > 0 ? Duration(r.LockSeconds.Value) : "-";
            b.Append(CultureInfo.InvariantCulture, $"{Name(r).PadRight(width)}  {r.Status,-10}  {Time(r.Expires),-20}  {failures,8}  {locked}\n");
        }
        b.Append(TotalsLine(report.Totals)).Append('\n');
        return b.ToString();
    }

    public static string TotalsLine(EntryTotals t) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{t.Total} {(t.Total == 1 ? "entry" : "entries")}: {t.Active} active, {t.Locked} locked, {t.Expired} expired, {t.Unreadable} unreadable");

    public static string Stats(StatsReport s, bool quiet, DateTimeOffset now)
    {
        var rows = new List<(string Key, string Label, string Value)>
        {
            ("cache_directory", "Cache directory", s.CacheDirectory),
            ("entries", "Entries", Num(s.Totals.Total)),
            ("active", "  active", Num(s.Totals.Active)),
            ("locked", "  locked", Num(s.Totals.Locked)),
            ("expired", "  expired", Num(s.Totals.Expired)),
            ("unreadable", "  unreadable", Num(s.Totals.Unreadable)),
            ("disk_bytes", "Disk usage", quiet ? Num(s.DiskBytes) : $"{Size(s.DiskBytes)} in {Num(s.Files)} {(s.Files == 1 ? "file" : "files")}"),
            ("oldest", "Oldest entry", quiet ? Dash(s.Oldest) : Time(s.Oldest)),
            ("newest", "Newest entry", quiet ? Dash(s.Newest) : Time(s.Newest)),
        };
        if (s.CacheKey is { } k) rows.Add(("cache_key", "Cache key", quiet ? k.State : CacheKeyLine(k)));
        if (s.Daemon is { } d)
        {
            rows.Add(("daemon", "Daemon", "running"));
            rows.Add(("connectivity", "Connectivity", quiet ? d.Connectivity.State : ConnectivityLine(d.Connectivity, now)));
            rows.Add(("auth_requests", "Auth requests", Num(d.AuthRequests)));
            rows.Add(("offline_auths", "Offline auths", quiet ? Num(d.OfflineAuths) : $"{Num(d.OfflineAuths)} ({Num(d.OfflineSuccesses)} successful)"));
            rows.Add(("lockouts", "Lockout refusals", Num(d.Lockouts)));
            rows.Add(("expired_removed", "Expired removed", Num(d.ExpiredRemoved)));
        }
        else
        {
            rows.Add(("daemon", "Daemon", quiet ? "not-used" : "not used (cache read directly, no counters)"));
        }
        var b = new StringBuilder();
        foreach (var (key, label, value) in rows)
            b.Append(quiet ? $"{key}={value}\n" : $"{(label + ":").PadRight(18)} {value}\n");
        return b.ToString();
    }

    public static string Show(EntryReport e, bool quiet)
    {
        var rows = new List<(string Key, string Label, string Value)>
        {
            ("user", "User", e.User),
            ("status", "Status", e.Status),
            ("created", "Created", quiet ? Dash(e.Created) : Time(e.Created)),
            ("expires", "Expires", quiet ? Dash(e.Expires) : Time(e.Expires)),
            ("last_success", "Last success", quiet ? Dash(e.LastSuccess) : Time(e.LastSuccess)),
            ("failures", "Failed attempts", Num(e.Failures)),
            ("locked_until", "Locked until", quiet ? Dash(e.LockedUntil) : e.LockSeconds is > 0 ? $"{Time(e.LockedUntil)} ({Duration(e.LockSeconds.Value)} left)" : "-"),
            ("gecos", "Gecos", e.Gecos ?? "-"),
            ("shell", "Shell", e.Shell ?? "-"),
            ("home", "Home", e.Home ?? "-"),
            ("argon2", "Verifier", e.Parameters is null ? "-" : $"Argon2id {e.Parameters}"),
        };
        var b = new StringBuilder();
        foreach (var (key, label, value) in rows)
            b.Append(quiet ? $"{key}={value}\n" : $"{(label + ":").PadRight(16)} {value}\n");
        return b.ToString();
    }

    private static string Sweep(AdminCommand command, SweepResult r, bool quiet)
    {
        if (quiet) return "";
        var parts = new List<string>();
        if (command == AdminCommand.Expire || r.ExpiredRemoved > 0) parts.Add($"{r.ExpiredRemoved} expired removed");
        if (command == AdminCommand.Cleanup || r.TemporaryRemoved > 0) parts.Add($"{r.TemporaryRemoved} temporary files removed");
        if (command == AdminCommand.Cleanup || r.EmptyRemoved > 0) parts.Add($"{r.EmptyRemoved} empty files removed");
        if (command == AdminCommand.Cleanup || r.Quarantined > 0) parts.Add($"{r.Quarantined} unreadable set aside in quarantine/");
        return $"{r.Scanned} entries scanned: {string.Join(", ", parts)}\n";
    }

    private static string Config(ConfigReport c)
    {
        var b = new StringBuilder();
        b.Append("# configuration file: ").Append(c.ConfigFile ?? "(none: defaults)").Append('\n');
        foreach (var line in c.Lines) b.Append(line).Append('\n');
        return b.ToString();
    }

    private static string Connectivity(ConnectivityReport c, bool quiet, DateTimeOffset now) =>
        quiet ? c.State + "\n"
        : ConnectivityLine(c, now) + "\n" + (c.CacheKey is { } k ? "Cache key: " + CacheKeyLine(k) + "\n" : "");

    /// <summary>"OK", or "MISMATCH — why; what to do".</summary>
    public static string CacheKeyLine(CacheKeyReport k) => k.State switch
    {
        "ok" => "OK",
        "mismatch" => "MISMATCH — " + (k.Problem ?? Engine.Cache.CacheGuard.MismatchAdvice),
        _ => k.State,
    };

    public static string ConnectivityLine(ConnectivityReport c, DateTimeOffset now)
    {
        var b = new StringBuilder(c.State);
        if (c.ForcedBy is not null) b.Append(" (forced by ").Append(c.ForcedBy).Append(')');
        b.Append(", since ").Append(Time(c.Since));
        b.Append(c.LastProbe is { } probe
            ? $", last probe {Time(probe)} ({(c.LastProbeSucceeded == true ? "answered" : "failed")})"
            : ", no probe yet");
        return b.ToString();
    }

    private static string Auth(AuthReport a, bool quiet)
    {
        if (quiet) return a.Outcome.ToUpperInvariant() + "\n";
        var b = new StringBuilder();
        b.Append(a.Outcome == nameof(BridgeStatus.Success) ? "success" : "refused: " + a.Outcome);
        b.Append(a.Offline ? " (offline)" : "").Append(": ").Append(a.Message).Append('\n');
        if (a.Gecos is not null || a.Shell is not null || a.Home is not null)
            b.Append("gecos=").Append(a.Gecos ?? "").Append(" shell=").Append(a.Shell ?? "").Append(" home=").Append(a.Home ?? "").Append('\n');
        return b.ToString();
    }

    private static string Name(EntryRow r) => r.User ?? $"({r.Key})";

    public static string Time(long? unixSeconds) => unixSeconds is { } t
        ? DateTimeOffset.FromUnixTimeSeconds(t).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
        : "-";

    public static string Duration(long seconds) => seconds switch
    {
        < 60 => $"{seconds}s",
        < 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}m{seconds % 60:00}s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}h{seconds % 3600 / 60:00}m"),
    };

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.0} MiB"),
    };

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Dash(long? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "-";
}
