using NSec.Cryptography;
using NSecArgon2Parameters = NSec.Cryptography.Argon2Parameters;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Argon2id v1.3 from libsodium. Native, no managed allocation of the memory cost, single-threaded SIMD
/// code. Hashing goes through NSec, which only offers one lane (p = 1) and a 16-byte salt; checking a
/// verifier goes through libsodium's own verification (<see cref="SodiumArgon2Verify"/>), which takes
/// any lane count — so every login's verification runs here, whatever the entry's parameters.
/// </summary>
public sealed class SodiumArgon2Hasher : IPasswordHasher
{
    public static readonly SodiumArgon2Hasher Instance = new();

    /// <summary>True when this implementation can compute a hash with these parameters and salt length.</summary>
    public static bool Supports(Argon2Parameters parameters, int saltLength) =>
        parameters.Parallelism == 1 && saltLength == Argon2Parameters.SaltLength;

    /// <summary>True when this implementation can check a verifier with these parameters, salt and hash lengths.</summary>
    public static bool CanVerify(Argon2Parameters parameters, int saltLength, int hashLength) =>
        SodiumArgon2Verify.Supports(parameters, saltLength, hashLength);

    public bool Matches(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expected, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Argon2Bounds.Check(parameters);
        return SodiumArgon2Verify.Matches(password, salt, expected, parameters);
    }

    public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        Argon2Bounds.Check(parameters);
        if (!Supports(parameters, salt.Length))
            throw new ArgumentException($"libsodium Argon2id needs p=1 and a {Argon2Parameters.SaltLength}-byte salt (got p={parameters.Parallelism}, salt {salt.Length} bytes)");

        var algorithm = PasswordBasedKeyDerivationAlgorithm.Argon2id(new NSecArgon2Parameters
        {
            DegreeOfParallelism = 1,
            MemorySize = parameters.MemoryKiB,
            NumberOfPasses = parameters.Iterations,
        });
        return algorithm.DeriveBytes(password, salt, Argon2Parameters.HashLength);
    }
}
