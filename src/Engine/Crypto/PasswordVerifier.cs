using System.Security.Cryptography;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Checks Argon2id verifiers (DESIGN §3.6; new ones are hashed by the <see cref="HashingGate"/>). CPU bound: callers run it on the hashing pool.
/// The rules every check follows live here: an empty password never matches but costs what a real one
/// does, and a user without an entry costs what a wrong password does.
/// </summary>
public sealed class PasswordVerifier(IPasswordHasher hasher)
{
    // A verifier nobody can match, for users without an entry: same work as a wrong password.
    private static readonly byte[] DummySalt = RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);
    private static readonly byte[] DummyHash = RandomNumberGenerator.GetBytes(Argon2Parameters.HashLength);
    // An empty password never matches; it is hashed as this instead so that it costs the same (Konscious refuses empty input).
    private static readonly byte[] EmptyStandIn = [0];

    public PasswordVerifier() : this(Argon2HasherSelector.Default) { }

    /// <summary>
    /// What to hash for <paramref name="password"/>: the password itself, or for an empty one a stand-in
    /// of the same cost whose result must never be accepted as a match.
    /// </summary>
    public static ReadOnlySpan<byte> HashInput(ReadOnlySpan<byte> password) => password.IsEmpty ? EmptyStandIn : password;

    /// <summary>16 fresh random salt bytes.</summary>
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);

    /// <summary>True when the password matches this verifier; constant-time, never true for an empty password.</summary>
    public bool Verify(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expected, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        return hasher.Matches(HashInput(password), salt, expected, parameters) & !password.IsEmpty;
    }

    /// <summary>Does the work of a verification that fails, for a user with no entry. Always false.</summary>
    public bool DummyVerify(ReadOnlySpan<byte> password, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        // The dummy hash is random: the answer is false whatever the result.
        _ = hasher.Matches(HashInput(password), DummySalt, DummyHash, parameters);
        return false;
    }
}
