using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine.Cache;
using static OpenBastion.Fuzz.FuzzAssertionException;

namespace OpenBastion.Fuzz;

/// <summary>
/// The cache entry: its JSON payload (<see cref="EntryJson"/>) and its file (<see cref="EntryCodec"/>).
/// A cache file is sealed by AES-GCM, so random file bytes never reach the JSON; the target seals the
/// fuzzed bytes itself under a fixed key and feeds that file to the codec as well.
/// </summary>
internal static class EntryTargets
{
    private static readonly byte[] Key = Enumerable.Range(1, EntryCodec.KeySize).Select(i => (byte)i).ToArray();

    /// <summary>
    /// The bytes as a payload: <see cref="EntryJson.TryRead"/> never throws; an entry it accepts can be
    /// written again (the daemon rewrites every entry it loaded) and reads back equal, also through
    /// <see cref="EntryCodec"/>. The bytes sealed as a file decode exactly when the payload parses,
    /// and the raw bytes as a file are never found (no key can open them).
    /// </summary>
    public static void Run(byte[] data)
    {
        var parsed = EntryJson.TryRead(data, out var entry, out var problem);
        Check(parsed || problem is { Length: > 0 }, "a refusal without a reason");

        var sealedFile = Seal(data);
        var outcome = EntryCodec.DecodeAnyUser(sealedFile, Key);
        Check(outcome is ReadOutcome.Found == parsed,
            $"sealed payload: codec said {outcome.GetType().Name}, the JSON reader {(parsed ? "parsed" : "refused")}");
        if (outcome is ReadOutcome.Found found) CheckSame(entry!, found.Entry, "codec vs JSON reader");

        var raw = EntryCodec.DecodeAnyUser(data, Key);
        Check(raw is ReadOutcome.Unreadable, $"raw bytes as a file gave {raw.GetType().Name}");

        if (!parsed) return;
        var written = EntryJson.Write(entry!);
        Check(EntryJson.TryRead(written, out var again, out var why), $"a rewritten entry does not read back: {why}");
        CheckSame(entry!, again!, "JSON round trip");

        var file = EntryCodec.Encode(entry!, Key);
        var decoded = EntryCodec.Decode(file, Key, entry!.User);
        Check(decoded is ReadOutcome.Found, $"an encoded entry decodes as {decoded}");
        CheckSame(entry, ((ReadOutcome.Found)decoded).Entry, "file round trip");
    }

    private static byte[] Seal(byte[] plaintext)
    {
        var file = new byte[EntryCodec.HeaderSize + plaintext.Length + EntryCodec.TagSize];
        Encoding.ASCII.GetBytes("OBCRED01").CopyTo(file, 0);
        var nonce = file.AsSpan(8, EntryCodec.NonceSize);
        nonce.Fill(7);
        using var aes = new AesGcm(Key, EntryCodec.TagSize);
        aes.Encrypt(nonce, plaintext, file.AsSpan(EntryCodec.HeaderSize, plaintext.Length),
            file.AsSpan(EntryCodec.HeaderSize + plaintext.Length));
        return file;
    }

    private static void CheckSame(CredentialEntry a, CredentialEntry b, string what)
    {
        var same = a.Version == b.Version && a.User == b.User && a.CreatedAt == b.CreatedAt
                   && a.ExpiresAt == b.ExpiresAt && a.LastSuccess == b.LastSuccess
                   && a.FailedAttempts == b.FailedAttempts && a.LockedUntil == b.LockedUntil
                   && a.PasswordHash.AsSpan().SequenceEqual(b.PasswordHash) && a.Salt.AsSpan().SequenceEqual(b.Salt)
                   && a.Gecos == b.Gecos && a.Shell == b.Shell && a.Home == b.Home && a.Parameters == b.Parameters;
        Check(same, $"{what}: the entries differ");
    }
}
