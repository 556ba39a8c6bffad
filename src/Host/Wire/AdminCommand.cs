namespace OpenBastion.Wire;

/// <summary>
/// The command of an ADMIN_REQUEST (docs/PROTOCOL.md §3.4). Each command takes a fixed number of
/// string arguments, given by <see cref="AdminCommands.Arity"/>.
/// </summary>
public enum AdminCommand : byte
{
    /// <summary>Every entry: user, status, expiry, failures, lock remaining. No argument.</summary>
    List = 1,
    /// <summary>Cache totals and the daemon's counters. No argument.</summary>
    Stats = 2,
    /// <summary>One user's entry (never its verifier). Argument: user.</summary>
    Show = 3,
    /// <summary>Delete one user's entry. Argument: user.</summary>
    Invalidate = 4,
    /// <summary>Delete every entry. No argument.</summary>
    InvalidateAll = 5,
    /// <summary>Reset one user's offline lockout. Argument: user.</summary>
    Unlock = 6,
    /// <summary>Remove expired entries now. No argument.</summary>
    Expire = 7,
    /// <summary>Remove orphaned temporary files, set unreadable entries aside. No argument.</summary>
    Cleanup = 8,
    /// <summary>The effective configuration with its sources, secrets masked. No argument.</summary>
    Config = 9,
    /// <summary>Connectivity state and last probe. No argument.</summary>
    Status = 10,
    /// <summary>Force the offline state. No argument.</summary>
    ForceOffline = 11,
    /// <summary>Force the online state. No argument.</summary>
    ForceOnline = 12,
    /// <summary>Release a forced state (back to probing). No argument.</summary>
    ClearForce = 13,
    /// <summary>A test authentication. Arguments: user, password.</summary>
    Auth = 14,
    /// <summary>
    /// Re-encrypt every entry under the key material as configured now (issue 10 item 4). Argument: the old key
    /// file's 32 bytes in hex (recovery form, a secret), or empty (the daemon's key in use is the old one).
    /// </summary>
    Rekey = 15,
}

/// <summary>Facts about <see cref="AdminCommand"/> values.</summary>
public static class AdminCommands
{
    /// <summary>The number of string arguments <paramref name="command"/> takes, or -1 when it is not a command.</summary>
    public static int Arity(AdminCommand command) => command switch
    {
        AdminCommand.Show or AdminCommand.Invalidate or AdminCommand.Unlock or AdminCommand.Rekey => 1,
        AdminCommand.Auth => 2,
        _ when Enum.IsDefined(command) => 0,
        _ => -1,
    };
}

/// <summary>The status of an ADMIN_RESPONSE.</summary>
public enum AdminStatus : byte
{
    /// <summary>Done; the text is the result.</summary>
    Ok = 0,
    /// <summary>No such entry (show, invalidate, unlock), or a negative answer (auth refused).</summary>
    NotFound = 1,
    /// <summary>The request is not valid (bad user name…).</summary>
    BadRequest = 2,
    /// <summary>The entry exists but cannot be read (wrong key, damaged, tampered).</summary>
    Unreadable = 3,
    /// <summary>The daemon failed to do it (store I/O error); nothing is assumed done.</summary>
    Failed = 4,
    /// <summary>The daemon's actors did not answer in time.</summary>
    Unavailable = 5,
}
