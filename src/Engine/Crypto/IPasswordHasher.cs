namespace OpenBastion.Engine.Crypto;

/// <summary>Computes an Argon2id v1.3 hash of 32 bytes. Implementations are thread-safe and CPU bound.</summary>
public interface IPasswordHasher
{
    byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters);
}
