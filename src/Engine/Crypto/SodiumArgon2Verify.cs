using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// libsodium's <c>crypto_pwhash_argon2id_str_verify</c>, the libsodium that NSec ships. Unlike libsodium's
/// hashing API it accepts any lane count: the lanes run one after the other on the calling thread, in
/// libsodium's SIMD code, in native memory allocated and freed by the call, and the result is compared in
/// constant time inside libsodium. The verifier is handed over as an encoded string
/// (<c>$argon2id$v=19$m=…,t=…,p=…$salt$hash</c>) built in a byte buffer that is zeroed afterwards.
/// </summary>
internal static unsafe partial class SodiumArgon2Verify
{
    private const string Library = "libsodium";
    private const int EINVAL = 22;
    private const int MinSaltLength = 8;   // ARGON2_MIN_SALT_LENGTH
    private const int MinHashLength = 16;  // ARGON2_MIN_OUTLEN
    private const int MaxEncodedLength = 1024;

    static SodiumArgon2Verify()
    {
        // Picks the SIMD implementation; idempotent (1 = already done, NSec may have done it).
        if (SodiumInit() < 0) throw new CryptographicException("libsodium failed to initialise");
    }

    /// <summary>True when libsodium can check a verifier of this shape.</summary>
    public static bool Supports(Argon2Parameters parameters, int saltLength, int hashLength) =>
        Argon2Bounds.IsValid(parameters) && saltLength >= MinSaltLength && hashLength >= MinHashLength
        && EncodedLength(saltLength, hashLength) < MaxEncodedLength;

    /// <summary>
    /// True on a match, false on a mismatch. Anything else libsodium reports (out of memory, a verifier it
    /// cannot decode) is thrown: it must never read as a wrong password, which would count towards a lockout.
    /// </summary>
    public static bool Matches(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> expected, Argon2Parameters parameters)
    {
        if (!Supports(parameters, salt.Length, expected.Length))
            throw new ArgumentException($"libsodium cannot check this verifier ({parameters}, salt {salt.Length} bytes, hash {expected.Length} bytes)");
        Span<byte> encoded = stackalloc byte[MaxEncodedLength];
        try
        {
            var length = Encode(encoded, salt, expected, parameters);
            encoded[length] = 0;
            return CheckEncoded(encoded[..(length + 1)], password);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(encoded);
        }
    }

    /// <summary>The libsodium call on an encoded, NUL-terminated verifier (internal for the tests of its error path).</summary>
    internal static bool CheckEncoded(ReadOnlySpan<byte> encoded, ReadOnlySpan<byte> password)
    {
        if (encoded.IsEmpty || encoded[^1] != 0) throw new ArgumentException("the encoded verifier must end with NUL", nameof(encoded));
        int result, errno;
        fixed (byte* str = encoded)
        fixed (byte* pw = password)
        {
            // A non-null pointer for an empty password: libsodium hashes zero bytes from it.
            byte none = 0;
            result = StrVerify(str, pw is null ? &none : pw, (ulong)password.Length);
            errno = Marshal.GetLastPInvokeError();
        }
        if (result == 0) return true;
        if (errno == EINVAL) return false;
        throw new CryptographicException($"libsodium Argon2id verification failed (errno {errno})");
    }

    private static int Encode(Span<byte> destination, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> hash, Argon2Parameters p)
    {
        var written = 0;
        Append(destination, ref written, string.Create(CultureInfo.InvariantCulture,
            $"$argon2id$v=19$m={p.MemoryKiB},t={p.Iterations},p={p.Parallelism}$"));
        AppendBase64(destination, ref written, salt);
        destination[written++] = (byte)'$';
        AppendBase64(destination, ref written, hash);
        return written;
    }

    private static void Append(Span<byte> destination, ref int written, string ascii)
    {
        foreach (var c in ascii) destination[written++] = (byte)c;
    }

    // Standard alphabet without padding, as the Argon2 reference encoding (and libsodium's decoder) expects.
    private static void AppendBase64(Span<byte> destination, ref int written, ReadOnlySpan<byte> bytes)
    {
        Base64.EncodeToUtf8(bytes, destination[written..], out _, out var n);
        while (n > 0 && destination[written + n - 1] == (byte)'=') n--;
        written += n;
    }

    private static int EncodedLength(int saltLength, int hashLength) => 64 + (saltLength + hashLength) * 4 / 3 + 8;

    [LibraryImport(Library, EntryPoint = "sodium_init")]
    private static partial int SodiumInit();

    [LibraryImport(Library, EntryPoint = "crypto_pwhash_argon2id_str_verify", SetLastError = true)]
    private static partial int StrVerify(byte* encoded, byte* password, ulong passwordLength);
}
