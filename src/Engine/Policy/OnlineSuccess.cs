using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;

namespace OpenBastion.Engine.Policy;

/// <summary>
/// What an online success leaves in the cache (DESIGN §3.1 step 6). When the cached verifier already has the
/// current Argon2 parameters it is checked against the accepted password (one verification) and, if it
/// matches, kept: the same salt and hash, since nothing about the secret changed. Otherwise — no entry, other
/// parameters, or a password changed upstream — a fresh verifier with a fresh salt is computed. Either way
/// the entry is rewritten as of now: <c>created_at</c> = now (the last online verification), the sliding
/// expiry restarts, failures and lock are cleared, and the attributes are the portal's.
/// </summary>
public static class OnlineSuccess
{
    /// <summary>Whether <paramref name="cached"/>'s verifier may be reconfirmed instead of recomputed.</summary>
    public static bool MayReconfirm(CredentialEntry? cached, Argon2Parameters current) =>
        cached is { PasswordHash.Length: > 0, Salt.Length: > 0 } && cached.EffectiveParameters == current;

    /// <summary>The entry to write for <paramref name="user"/> with this verifier, as of <paramref name="now"/>.</summary>
    public static CredentialEntry Record(string user, byte[] hash, byte[] salt, Argon2Parameters parameters,
        UserAttributes attributes, DateTimeOffset now, ExpiryPolicy expiry)
    {
        var (createdAt, expiresAt) = expiry.OnOnlineSuccess(now);
        return new CredentialEntry
        {
            User = user,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
            LastSuccess = createdAt,
            FailedAttempts = 0,
            LockedUntil = 0,
            PasswordHash = hash,
            Salt = salt,
            Gecos = attributes.Gecos,
            Shell = attributes.Shell,
            Home = attributes.Home,
            Parameters = parameters,
        };
    }
}
