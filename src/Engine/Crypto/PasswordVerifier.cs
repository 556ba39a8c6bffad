using System.Security.Cryptography;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Creates and checks Argon2id verifiers (DESIGN §3.6). CPU bound: callers run it on the hashing pool.
/// </summary>
public sealed class PasswordVerifier(IPasswordHasher hasher)
{
    // A verifier nobody can match, for users without an entry: same work as a wrong password.
    private static readonly byte[] DummySalt = RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);
    private static readonly byte[] DummyHash = RandomNumberGenerator.GetBytes(Argon2Parameters.HashLength);
    // An empty password never matches; it is hashed as this instead so that it costs the same (Konscious refuses empty input).
    private static readonly byte[] EmptyStandIn = [0];

    /// <summary>
    /// What to hash for <paramref name="password"/>: the password itself, or for an empty one a stand-in
    /// of the same cost whose result must never be accepted as a match.
    /// </summary>
    public static ReadOnlySpan<byte> HashInput(ReadOnlySpan<byte> password) => password.IsEmpty ? EmptyStandIn : password;

    public PasswordVerifier() : this(Argon2HasherSelector.Default) { }

    /// <summary>A new verifier: a 32-byte hash of the password under 16 fresh random salt bytes.</summary>
    public (byte[] Hash, byte[] Salt) CreateVerifier(Secret password, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (password.Length == 0) throw new ArgumentException("an empty password cannot get a verifier", nameof(password));
        var salt = RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);
        return (hasher.Hash(password.Utf8, salt, parameters), salt);
    }

    /// <summary>True when the password matches the entry's verifier (computed with the entry's own parameters).</summary>
    public bool Verify(Secret password, CredentialEntry entry)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(entry);
        var empty = password.Length == 0;
        var computed = hasher.Hash(HashInput(password.Utf8), entry.Salt, entry.EffectiveParameters);
        try
        {
            return CryptographicOperations.FixedTimeEquals(computed, entry.PasswordHash) && !empty;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(computed);
        }
    }

    /// <summary>Does the work of a verification that fails, for a user with no entry. Always false.</summary>
    public bool DummyVerify(Secret password, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(password);
        var computed = hasher.Hash(HashInput(password.Utf8), DummySalt, parameters);
        // Compare like Verify does; the answer is false whatever the result (the dummy hash is random).
        _ = CryptographicOperations.FixedTimeEquals(computed, DummyHash);
        CryptographicOperations.ZeroMemory(computed);
        return false;
    }
}
