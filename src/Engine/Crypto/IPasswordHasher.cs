using System.Security.Cryptography;

namespace OpenBastion.Engine.Crypto;

/// <summary>Computes and checks Argon2id v1.3 hashes of 32 bytes. Implementations are thread-safe and CPU bound.</summary>
public interface IPasswordHasher
{
    byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters);

    /// <summary>
    /// True when <paramref name="password"/> hashes to <paramref name="expected"/> under this salt and these
    /// parameters, compared in constant time. By default: <see cref="Hash"/>, then a fixed-time comparison.
    /// </summary>
    bool Matches(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expected, Argon2Parameters parameters)
    {
        var computed = Hash(password, salt, parameters);
        try
        {
            return CryptographicOperations.FixedTimeEquals(computed, expected);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(computed);
        }
    }
}
