using OpenBastion.Wire;
using OpenBastion.Engine.Maintenance;

namespace OpenBastion.Host.Admin;

/// <summary>
/// Turns Engine's maintenance outcomes into admin replies, one wording for both paths (the daemon's
/// actors and the direct path call the same <see cref="CacheMaintenance"/>, and answer through here).
/// </summary>
internal static class AdminOutcomes
{
    public static AdminReply Frozen(string reason) =>
        AdminReply.Error(AdminStatus.Failed, $"offline cache frozen, nothing changed: {reason}");

    public static AdminReply Unreadable(string user, Engine.Cache.ReadFailure? failure) =>
        AdminReply.Error(AdminStatus.Unreadable,
            $"cache entry for user '{user}' is unreadable{(failure is { } f ? $" ({f})" : "")}; 'cleanup' sets it aside, 'invalidate {user}' removes it");

    public static AdminReply Unlock(string user, UnlockOutcome outcome) => outcome switch
    {
        UnlockOutcome.Unlocked { WasLocked: true } u =>
            AdminReply.Ok(new ActionReport($"user '{user}' unlocked ({u.FailuresCleared} failed attempts cleared)", 1)),
        UnlockOutcome.Unlocked u =>
            AdminReply.Ok(new ActionReport($"user '{user}' was not locked; {u.FailuresCleared} failed attempts cleared")),
        UnlockOutcome.Unreadable u => Unreadable(user, u.Failure),
        UnlockOutcome.Frozen f => Frozen(f.Reason),
        _ => AdminUsers.NoEntry(user),
    };

    public static AdminReply Invalidate(string user, InvalidateOutcome outcome) => outcome switch
    {
        InvalidateOutcome.Removed => AdminReply.Ok(new ActionReport($"cache entry for user '{user}' removed", 1)),
        InvalidateOutcome.Frozen f => Frozen(f.Reason),
        _ => AdminUsers.NoEntry(user),
    };

    public static AdminReply Show(string user, EntryDescription entry) => entry.Status switch
    {
        EntryStatus.None => AdminUsers.NoEntry(user),
        EntryStatus.Unreadable => Unreadable(user, entry.Failure),
        _ => AdminReply.Ok(EntryClassifier.Report(user, entry)),
    };

    /// <summary>rekey's argument: the old key file's bytes (empty: the plain form), or the refusal of a non-hex argument.</summary>
    public static byte[]? OldKeyFile(AdminRequest request, out AdminReply? refusal)
    {
        refusal = null;
        try
        {
            return request.Password is { Length: > 0 } hex ? Convert.FromHexString(System.Text.Encoding.ASCII.GetString(hex.Utf8)) : [];
        }
        catch (FormatException)
        {
            refusal = AdminReply.Error(AdminStatus.BadRequest, "the old key is not hexadecimal");
            return null;
        }
    }

    /// <summary>A plain rekey of a frozen cache would re-encrypt nothing.</summary>
    public static AdminReply FrozenPlainRekey(string? reason) => AdminReply.Error(AdminStatus.Failed,
        $"offline cache frozen ({reason}); a plain rekey would re-encrypt nothing: use 'rekey --from-key-file OLD' or 'clear'");

    public static SweepResult Sweep(SweepTally t) => new(t.Scanned, t.ExpiredRemoved, t.TemporaryRemoved, t.EmptyRemoved, t.Quarantined);

    /// <summary>The reply for a finished rekey: Failed when an entry could not be rewritten.</summary>
    public static AdminReply Rekey(Engine.Cache.RekeyReport report)
    {
        var message = $"{report.Rekeyed} entries re-encrypted, {report.AlreadyCurrent} already under the current key" +
                      (report.Undecryptable.Count > 0 ? $", {report.Undecryptable.Count} decrypt under no key tried and were left untouched ({string.Join(", ", report.Undecryptable)})" : "") +
                      (report.Failed.Count > 0 ? $", {report.Failed.Count} could not be rewritten ({string.Join(", ", report.Failed)})" : "");
        return report.Failed.Count > 0
            ? AdminReply.Error(AdminStatus.Failed, message)
            : AdminReply.Ok(new RekeyResult(message, report.Rekeyed, report.AlreadyCurrent, report.Undecryptable.Count, report.Failed.Count));
    }
}
