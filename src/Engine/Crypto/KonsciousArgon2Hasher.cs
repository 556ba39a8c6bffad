using Konscious.Security.Cryptography;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Argon2id v1.3 in managed code (Konscious). Supports any m/t/p and salt length, but allocates the
/// whole memory cost on the managed heap for each hash and is slower than libsodium. Konscious refuses
/// an empty password (<see cref="ArgumentException"/>); <see cref="PasswordVerifier"/> never passes one.
/// </summary>
public sealed class KonsciousArgon2Hasher : IPasswordHasher
{
    public static readonly KonsciousArgon2Hasher Instance = new();

    public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Argon2Bounds.Check(parameters);
        if (password.IsEmpty) throw new ArgumentException("Konscious Argon2 cannot hash an empty password", nameof(password));
        var pw = password.ToArray();
        try
        {
            using var argon = new Argon2id(pw)
            {
                Salt = salt.ToArray(),
                MemorySize = parameters.MemoryKiB,
                Iterations = parameters.Iterations,
                DegreeOfParallelism = parameters.Parallelism,
            };
            return argon.GetBytes(Argon2Parameters.HashLength);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(pw);
        }
    }
}
