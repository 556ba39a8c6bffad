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
            ReleaseWorkingMemory(parameters);
        }
    }

    /// <summary>
    /// Konscious leaves its whole memory cost (64 MiB by default) as garbage on the large object heap
    /// after every hash. Left to itself the GC lets several of those blocks pile up before a full
    /// collection, so a login storm's RSS grows far past workers × memory cost. A blocking full
    /// collection right away costs a few milliseconds against a hash of hundreds and keeps the peak
    /// at about one block per running hash. Small memory costs (tests) are left to the GC.
    /// </summary>
    private static void ReleaseWorkingMemory(Argon2Parameters parameters)
    {
        if (parameters.MemoryKiB >= CollectAtKiB)
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
    }

    private const int CollectAtKiB = 16 * 1024;
}
