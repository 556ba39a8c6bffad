namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Picks the fastest implementation able to compute a hash: libsodium (NSec) for p = 1 with a 16-byte
/// salt, Konscious otherwise. Both give the same bytes where both apply.
/// </summary>
public sealed class Argon2HasherSelector(IPasswordHasher sodium, IPasswordHasher managed) : IPasswordHasher
{
    public static readonly Argon2HasherSelector Default = new(SodiumArgon2Hasher.Instance, KonsciousArgon2Hasher.Instance);

    public IPasswordHasher For(Argon2Parameters parameters, int saltLength) =>
        SodiumArgon2Hasher.Supports(parameters, saltLength) ? sodium : managed;

    public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters) =>
        For(parameters, salt.Length).Hash(password, salt, parameters);
}
