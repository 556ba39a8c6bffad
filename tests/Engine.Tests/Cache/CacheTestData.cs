using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>Entries and hand-made files for the cache tests, sealed with the BCL's AES-GCM (an independent implementation).</summary>
internal static class CacheTestData
{
    public static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    public static readonly byte[] OtherKey = Enumerable.Range(101, 32).Select(i => (byte)i).ToArray();

    public static CredentialEntry Entry(string user = "bob", Argon2Parameters? parameters = null) => new()
    {
        User = user,
        CreatedAt = 1_800_000_000,
        ExpiresAt = 1_800_086_400,
        LastSuccess = 1_800_000_100,
        FailedAttempts = 2,
        LockedUntil = 1_800_000_300,
        PasswordHash = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray(),
        Salt = Enumerable.Range(0, 16).Select(i => (byte)(255 - i)).ToArray(),
        Gecos = "Bob \"the\" Builder, é",
        Shell = "/bin/zsh",
        Home = "/home/bob",
        Parameters = parameters,
    };

    /// <summary>OBCRED01 ‖ nonce ‖ AES-256-GCM(plaintext) ‖ tag.</summary>
    public static byte[] Seal(byte[] plaintext, byte[]? key = null)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var ct = new byte[plaintext.Length];
        var tag = new byte[16];
        using (var aes = new AesGcm(key ?? Key, 16)) aes.Encrypt(nonce, plaintext, ct, tag);
        return [.. "OBCRED01"u8.ToArray(), .. nonce, .. ct, .. tag];
    }

    public static byte[] Seal(string json, byte[]? key = null) => Seal(Encoding.UTF8.GetBytes(json), key);

    /// <summary>The plaintext of a file, decrypted with the BCL.</summary>
    public static string Open(byte[] file, byte[]? key = null)
    {
        var pt = new byte[file.Length - 36];
        using (var aes = new AesGcm(key ?? Key, 16))
            aes.Decrypt(file.AsSpan(8, 12), file.AsSpan(20, pt.Length), file.AsSpan(file.Length - 16), pt);
        return Encoding.UTF8.GetString(pt);
    }

    public const string ValidHash = "UN2mfHSHFzpO8LeMlsc7cU6DmgAuM5gxLRUdy\\/R6IU0=";
    public const string ValidSalt = "SHaJrsEVKWbzhsG+p7helg==";

    /// <summary>A json-c style payload for <paramref name="user"/>, with <paramref name="extra"/> fields appended.</summary>
    public static string Json(string user = "bob", string extra = "") =>
        "{ \"v\": 1, \"user\": \"" + user + "\", \"created_at\": 1795356719, \"expires_at\": 1795443119, " +
        "\"password_hash\": \"" + ValidHash + "\", \"salt\": \"" + ValidSalt + "\", \"gecos\": \"B\", " +
        "\"shell\": \"\\/bin\\/sh\", \"home\": \"\\/home\\/bob\", \"locked_until\": 0, \"last_success\": 1795356719, " +
        "\"failed_attempts\": 0" + extra + " }";
}
