using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.TestSupport;

/// <summary>
/// Conveniences over <see cref="PasswordVerifier"/> for tests and benchmarks, which hold passwords as
/// <see cref="Secret"/>s and entries whole (the daemon itself goes through the hashing gate with spans).
/// </summary>
public static class VerifierExtensions
{
    /// <summary>A new verifier: a 32-byte hash of the password under 16 fresh random salt bytes.</summary>
    public static (byte[] Hash, byte[] Salt) CreateVerifier(this IPasswordHasher hasher, Secret password, Argon2Parameters parameters)
    {
        if (password.Length == 0) throw new ArgumentException("an empty password cannot get a verifier", nameof(password));
        var salt = PasswordVerifier.NewSalt();
        return (hasher.Hash(password.Utf8, salt, parameters), salt);
    }

    /// <summary>True when the password matches the entry's verifier (computed with the entry's own parameters).</summary>
    public static bool Verify(this PasswordVerifier verifier, Secret password, CredentialEntry entry) =>
        verifier.Verify(password.Utf8, entry.Salt, entry.PasswordHash, entry.EffectiveParameters);

    /// <summary>The work of a failed verification, for a user with no entry. Always false.</summary>
    public static bool DummyVerify(this PasswordVerifier verifier, Secret password, Argon2Parameters parameters) =>
        verifier.DummyVerify(password.Utf8, parameters);
}
