using OpenBastion.Engine.Online;

namespace OpenBastion.Actors.Protocol;

/// <summary>How a successful login was decided.</summary>
public enum AuthPath { Online, Offline }

/// <summary>The answer to <see cref="Authenticate"/>. Every request gets exactly one.</summary>
public abstract record AuthResult
{
    private AuthResult() { }

    /// <summary>Authenticated. <paramref name="CachedAge"/> is the age of the cached verifier for offline logins.</summary>
    public sealed record Success(AuthPath Path, UserAttributes Attributes, TimeSpan? CachedAge) : AuthResult;

    /// <summary>Wrong password (online: LLNG said so; offline: verifier mismatch).</summary>
    public sealed record WrongPassword(AuthPath Path) : AuthResult;

    /// <summary>Offline lockout in force; refused without hashing.</summary>
    public sealed record Locked(long SecondsLeft) : AuthResult;

    /// <summary>LLNG unavailable and no usable cached entry (none, expired, unreadable, offline disabled).</summary>
    public sealed record Unavailable(UnavailableReason Reason) : AuthResult;

    /// <summary>Too many requests queued for this user; try again.</summary>
    public sealed record Busy : AuthResult
    {
        public static readonly Busy Instance = new();
    }

    /// <summary>The engine failed (store or crypto fault). Never means authenticated.</summary>
    public sealed record Error(string Reason) : AuthResult;
}

public enum UnavailableReason
{
    /// <summary>Offline, and no entry for the user.</summary>
    NotCached,
    /// <summary>Offline, and the entry had expired (it was deleted).</summary>
    Expired,
    /// <summary>Offline, and the entry could not be read (quarantined).</summary>
    Unreadable,
    /// <summary>LLNG unavailable and offline authentication is disabled (configuration or module argument).</summary>
    OfflineDisabled,
    /// <summary>The request's deadline passed before it could be served.</summary>
    TimedOut,
}
