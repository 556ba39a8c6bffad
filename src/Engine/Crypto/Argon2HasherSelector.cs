namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Picks the fastest implementation for each job. Checking a verifier: libsodium for any lane count
/// (single-threaded, native memory). Computing a hash: libsodium (NSec) for p = 1 with a 16-byte salt,
/// Konscious otherwise (the default p = 4 of new verifiers). Both give the same bytes where both apply.
/// </summary>
public sealed class Argon2HasherSelector(IPasswordHasher sodium, IPasswordHasher managed) : IPasswordHasher
{
    public static readonly Argon2HasherSelector Default = new(SodiumArgon2Hasher.Instance, KonsciousArgon2Hasher.Instance);

    /// <summary>The implementation that computes hashes with these parameters and salt length.</summary>
    public IPasswordHasher For(Argon2Parameters parameters, int saltLength) =>
        SodiumArgon2Hasher.Supports(parameters, saltLength) ? sodium : managed;

    /// <summary>The implementation that checks verifiers of this shape.</summary>
    public IPasswordHasher VerifierFor(Argon2Parameters parameters, int saltLength, int hashLength) =>
        SodiumArgon2Hasher.CanVerify(parameters, saltLength, hashLength) ? sodium : managed;

    public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters) =>
        For(parameters, salt.Length).Hash(password, salt, parameters);

    public bool Matches(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expected, Argon2Parameters parameters) =>
        VerifierFor(parameters, salt.Length, expected.Length).Matches(password, salt, expected, parameters);
}
