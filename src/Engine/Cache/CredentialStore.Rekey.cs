using System.Security.Cryptography;

#pragma warning disable CA1416 // Linux only, like the rest of the store

namespace OpenBastion.Engine.Cache;

/// <summary>What a rekey did.</summary>
/// <param name="Rekeyed">entries re-encrypted under the new key</param>
/// <param name="AlreadyCurrent">entries that already decrypted under the new key (left as they were)</param>
/// <param name="Undecryptable">keys of the entries that decrypt under none of the keys tried (left untouched)</param>
/// <param name="Failed">keys whose rewrite failed (I/O); they are still under their old key</param>
public sealed record RekeyReport(int Rekeyed, int AlreadyCurrent, IReadOnlyList<string> Undecryptable, IReadOnlyList<string> Failed);

public sealed partial class CredentialStore
{
    /// <summary>The scratch file of <see cref="WritePad"/> (not an entry: no <c>.cred</c> suffix).</summary>
    public const string PadFileName = ".pad";

    /// <summary>The key its temporary files are named after, so the janitor removes an orphaned one like any other.</summary>
    internal const string PadKey = "00000000000000000000000000000000";

    private static CredentialEntry PadEntry() => new()
    {
        User = "pad-entry-of-typical-size",
        CreatedAt = 1_800_000_000,
        ExpiresAt = 1_800_086_400,
        LastSuccess = 1_800_000_000,
        PasswordHash = RandomNumberGenerator.GetBytes(Crypto.Argon2Parameters.HashLength),
        Salt = RandomNumberGenerator.GetBytes(Crypto.Argon2Parameters.SaltLength),
        Gecos = "Pad Entry,,,",
        Shell = "/bin/bash",
        Home = "/home/pad-entry-of-typical-size",
        Parameters = new Crypto.Argon2Parameters(65536, 3, 4),
    };

    /// <summary>
    /// Re-encrypts every entry under <paramref name="target"/> and makes it this store's key (issue 10 item 4).
    /// An entry is opened with the store's current key or one of <paramref name="otherSources"/>; one that
    /// already opens under <paramref name="target"/> is left as it is; one that opens under none is left
    /// untouched and reported. Each rewrite is atomic (temporary file, fsync, rename). Holds the key lock
    /// exclusively: every read and write of the store waits until the rekey is done, so none races it.
    /// </summary>
    public RekeyReport Rekey(ReadOnlySpan<byte> target, IReadOnlyList<byte[]> otherSources)
    {
        ArgumentNullException.ThrowIfNull(otherSources);
        if (target.Length != EntryCodec.KeySize) throw new ArgumentException($"the cache key must be {EntryCodec.KeySize} bytes", nameof(target));
        var newKey = target.ToArray();
        _keyLock.EnterWriteLock();
        try
        {
            var sources = new List<byte[]> { _key };
            sources.AddRange(otherSources);
            int rekeyed = 0, current = 0;
            var undecryptable = new List<string>();
            var failed = new List<string>();
            foreach (var file in Enumerate())
            {
                byte[]? bytes;
                try
                {
                    bytes = AtomicFile.ReadSmall(file.Path, EntryCodec.MaxFileSize);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    failed.Add(file.Key);
                    continue;
                }
                if (bytes is null) continue;
                if (Opens(bytes, newKey, file.Key) is not null)
                {
                    current++;
                    continue;
                }
                CredentialEntry? entry = null;
                foreach (var source in sources)
                    if ((entry = Opens(bytes, source, file.Key)) is not null) break;
                if (entry is null)
                {
                    undecryptable.Add(file.Key);
                    continue;
                }
                try
                {
                    WriteAtomically(file.Path, file.Key, EntryCodec.Encode(entry, newKey), $"cache entry {file.Key}");
                    rekeyed++;
                }
                catch (CredentialStoreException)
                {
                    failed.Add(file.Key);
                }
            }
            CryptographicOperations.ZeroMemory(_key);
            _key = newKey;
            return new RekeyReport(rekeyed, current, undecryptable, failed);
        }
        finally
        {
            _keyLock.ExitWriteLock();
        }
    }

    /// <summary>Writes the key-check marker of this store's current key (after a check, a rekey or a clear).</summary>
    public void WriteKeyCheckMarker()
    {
        using var _ = Shared();
        CacheKeyCheck.WriteMarker(Directory, _key);
    }

    /// <summary>Runs the start-up key check against this store's own key (see <see cref="CacheKeyCheck.Check"/>).</summary>
    public KeyCheckResult CheckKey(bool writeMarker)
    {
        byte[] key;
        using (Shared()) key = _key.ToArray();
        try
        {
            return CacheKeyCheck.Check(this, key, writeMarker);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private static CredentialEntry? Opens(byte[] bytes, byte[] key, string fileKey) =>
        EntryCodec.DecodeAnyUser(bytes, key) is ReadOutcome.Found f && CacheFileName.KeyFor(f.Entry.User) == fileKey ? f.Entry : null;
}
