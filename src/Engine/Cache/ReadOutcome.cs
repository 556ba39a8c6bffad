namespace OpenBastion.Engine.Cache;

/// <summary>Why a cache file could not be turned into an entry. Each is distinct, none is "authenticated".</summary>
public enum ReadFailure
{
    /// <summary>The file does not start with <c>OBCRED01</c>.</summary>
    BadMagic,
    /// <summary>Shorter than magic + nonce + tag, or cut short.</summary>
    Truncated,
    /// <summary>Larger than the 1 MiB bound.</summary>
    Oversize,
    /// <summary>The GCM tag does not verify: wrong key or tampered bytes (indistinguishable by design).</summary>
    AuthenticationFailed,
    /// <summary>Decrypted, but not the JSON object an entry is (or a required field is missing or mistyped).</summary>
    BadPayload,
    /// <summary>The payload's <c>user</c> is not the user asked for (a file copied over another's name).</summary>
    UserMismatch,
    /// <summary>The file exists but could not be read (I/O error, permissions).</summary>
    IoError,
}

/// <summary>The result of reading one user's entry.</summary>
public abstract record ReadOutcome
{
    private ReadOutcome() { }

    public sealed record Found(CredentialEntry Entry) : ReadOutcome;

    public sealed record NotFound : ReadOutcome
    {
        public static readonly NotFound Instance = new();
    }

    public sealed record Unreadable(ReadFailure Failure, string Detail) : ReadOutcome;
}
