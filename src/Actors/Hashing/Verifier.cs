using System.Security.Cryptography;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Hashing;

/// <summary>Salts and constant-time comparison for Argon2id verifiers.</summary>
internal static class Verifier
{
    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength);

    public static bool Matches(HashOutcome.Computed computed, byte[] stored) =>
        CryptographicOperations.FixedTimeEquals(computed.Hash, stored) & computed.CanMatch;
}
