// Unlock, Invalidate and Inspect are answered with Engine's own outcomes (OpenBastion.Engine.Maintenance:
// UnlockOutcome, InvalidateOutcome, EntryDescription), the same the admin tool gets with the daemon stopped.

namespace OpenBastion.Actors.Protocol;

/// <summary>Reply to <see cref="InvalidateAll"/>: how many entries were removed.</summary>
public sealed record InvalidateAllResult(int Removed);

/// <summary>An admin request failed (store fault); nothing is assumed done.</summary>
public sealed record AdminFailed(string Reason);
