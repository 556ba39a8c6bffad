using System.Security.Cryptography;
using NSec.Cryptography;

namespace OpenBastion.Engine.Cache;

/// <summary>
/// The bytes of a <c>.cred</c> file (DESIGN §3.5): <c>OBCRED01</c> ‖ 12-byte nonce ‖ AES-256-GCM
/// ciphertext ‖ 16-byte tag, no associated data; the plaintext is the entry's JSON.
/// </summary>
public static class EntryCodec
{
    public const int MaxFileSize = 1024 * 1024;
    public const int KeySize = 32;
    public const int NonceSize = 12;
    public const int TagSize = 16;

    private static ReadOnlySpan<byte> Magic => "OBCRED01"u8;
    public static int HeaderSize => Magic.Length + NonceSize;
    public static int MinFileSize => HeaderSize + TagSize;

    private static readonly Aes256Gcm Aead = AeadAlgorithm.Aes256Gcm;

    /// <summary>Encrypts an entry under a fresh random nonce.</summary>
    public static byte[] Encode(CredentialEntry entry, ReadOnlySpan<byte> key32)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (key32.Length != KeySize) throw new ArgumentException($"the cache key must be {KeySize} bytes", nameof(key32));
        if (entry.Version != EntryJson.SupportedVersion) throw new ArgumentException($"only version {EntryJson.SupportedVersion} entries can be written", nameof(entry));
        if (entry.PasswordHash.Length != Crypto.Argon2Parameters.HashLength || entry.Salt.Length != Crypto.Argon2Parameters.SaltLength)
            throw new ArgumentException("the verifier must be a 32-byte hash with a 16-byte salt", nameof(entry));
        var plaintext = EntryJson.Write(entry);
        try
        {
            if (MinFileSize + plaintext.Length > MaxFileSize)
                throw new ArgumentException("entry too large for a cache file", nameof(entry));
            var file = new byte[HeaderSize + plaintext.Length + TagSize];
            Magic.CopyTo(file);
            var nonce = file.AsSpan(Magic.Length, NonceSize);
            RandomNumberGenerator.Fill(nonce);
            using var key = ImportKey(key32);
            Aead.Encrypt(key, nonce, ReadOnlySpan<byte>.Empty, plaintext, file.AsSpan(HeaderSize));
            return file;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Decrypts and checks a file that must belong to <paramref name="expectedUser"/>. Never throws.</summary>
    public static ReadOutcome Decode(ReadOnlySpan<byte> file, ReadOnlySpan<byte> key32, string expectedUser)
    {
        var outcome = DecodeAnyUser(file, key32);
        if (outcome is ReadOutcome.Found found && !string.Equals(found.Entry.User, expectedUser, StringComparison.Ordinal))
            return new ReadOutcome.Unreadable(ReadFailure.UserMismatch, "the entry belongs to another user");
        return outcome;
    }

    /// <summary>Decrypts a file whoever it belongs to (the janitor); the caller checks the name. Never throws.</summary>
    public static ReadOutcome DecodeAnyUser(ReadOnlySpan<byte> file, ReadOnlySpan<byte> key32)
    {
        if (file.Length > MaxFileSize)
            return Unreadable(ReadFailure.Oversize, $"file is {file.Length} bytes, the limit is {MaxFileSize}");
        var magicPart = file[..Math.Min(file.Length, Magic.Length)];
        if (!magicPart.SequenceEqual(Magic[..magicPart.Length]))
            return Unreadable(ReadFailure.BadMagic, "file does not start with OBCRED01");
        if (file.Length < MinFileSize)
            return Unreadable(ReadFailure.Truncated, $"file is {file.Length} bytes, shorter than the {MinFileSize} of an empty entry");
        if (key32.Length != KeySize)
            return Unreadable(ReadFailure.AuthenticationFailed, $"the cache key must be {KeySize} bytes");

        var nonce = file.Slice(Magic.Length, NonceSize);
        var sealedPart = file[HeaderSize..];
        var plaintext = new byte[sealedPart.Length - TagSize];
        try
        {
            bool opened;
            try
            {
                using var key = ImportKey(key32);
                opened = Aead.Decrypt(key, nonce, ReadOnlySpan<byte>.Empty, sealedPart, plaintext);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                return Unreadable(ReadFailure.AuthenticationFailed, "decryption failed");
            }
            if (!opened)
                return Unreadable(ReadFailure.AuthenticationFailed, "authentication tag mismatch (wrong key or modified file)");

            return EntryJson.TryRead(plaintext, out var entry, out var problem)
                ? new ReadOutcome.Found(entry)
                : Unreadable(ReadFailure.BadPayload, problem);
        }
        catch (Exception ex)
        {
            // Never throws: anything unexpected in parsing is a bad payload, not an authentication.
            return Unreadable(ReadFailure.BadPayload, $"unexpected {ex.GetType().Name} while reading the payload");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static Key ImportKey(ReadOnlySpan<byte> key32) =>
        Key.Import(Aead, key32, KeyBlobFormat.RawSymmetricKey);

    private static ReadOutcome.Unreadable Unreadable(ReadFailure failure, string detail) => new(failure, detail);
}
