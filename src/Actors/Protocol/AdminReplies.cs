namespace OpenBastion.Actors.Protocol;

/// <summary>Reply to <see cref="Unlock"/>. <paramref name="Found"/>: an entry existed; <paramref name="WasLocked"/>: it was locked then.</summary>
public sealed record UnlockResult(bool Found, bool WasLocked);

/// <summary>Reply to <see cref="Invalidate"/>. <paramref name="Removed"/>: there was an entry and it is gone.</summary>
public sealed record InvalidateResult(bool Removed);

/// <summary>Reply to <see cref="InvalidateAll"/>: how many entries were removed.</summary>
public sealed record InvalidateAllResult(int Removed);

/// <summary>An admin request failed (store fault); nothing is assumed done.</summary>
public sealed record AdminFailed(string Reason);

/// <summary>What <c>ob-cache-admin show</c> prints.</summary>
public enum EntryStatus
{
    /// <summary>No entry for the user.</summary>
    None,
    Active,
    Locked,
    Expired,
    Unreadable,
}

/// <summary>Reply to <see cref="Inspect"/>: the entry's facts, never its verifier or salt.</summary>
public sealed record EntryInfo(
    string User,
    bool Found,
    EntryStatus Status,
    DateTimeOffset? Created,
    DateTimeOffset? Expires,
    DateTimeOffset? LastSuccess,
    int Failures,
    DateTimeOffset? LockedUntil,
    string? Gecos,
    string? Shell,
    string? Home,
    string? Parameters);
