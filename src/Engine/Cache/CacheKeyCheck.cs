using System.Security.Cryptography;

namespace OpenBastion.Engine.Cache;

/// <summary>What the start-up key check found.</summary>
public enum KeyCheckOutcome
{
    /// <summary>The marker matches the key in use.</summary>
    Matched,
    /// <summary>No marker, and the entries (if any) decrypt: the marker was written (or would be, read-only).</summary>
    MarkerWritten,
    /// <summary>The marker does not match, or most sampled entries fail to decrypt: key material changed.</summary>
    Mismatch,
}

/// <param name="Outcome">the verdict</param>
/// <param name="Detail">one line for the log</param>
/// <param name="NewestTimestamp">the newest Unix time seen in the entries read (0 when none were read)</param>
public sealed record KeyCheckResult(KeyCheckOutcome Outcome, string Detail, long NewestTimestamp);

/// <summary>
/// The key-check marker of a cache directory (issue 10 item 4): <c>.key_check</c>, 0600, holding
/// HMAC-SHA256(cache key, "obactors key check v1") — a one-way value, never the key. It tells at start
/// whether the key material changed since the cache was written, before any entry is touched.
/// </summary>
public static class CacheKeyCheck
{
    public const string FileName = ".key_check";
    public const int SampleSize = 32;
    public const int MarkerLength = 32;

    private static ReadOnlySpan<byte> Label => "obactors key check v1"u8;

    /// <summary>The marker for <paramref name="key"/>.</summary>
    public static byte[] MarkerFor(ReadOnlySpan<byte> key) => HMACSHA256.HashData(key, Label);

    public static string PathIn(string directory) => Path.Combine(directory, FileName);

    /// <summary>
    /// Checks <paramref name="store"/>'s directory against <paramref name="key"/> (the key <paramref name="store"/>
    /// decrypts with). Marker present: compared in constant time; a mismatch on a cache without entries only
    /// rewrites the marker (nothing to protect). No marker: up to <see cref="SampleSize"/>
    /// entries are read; when most of them fail with <see cref="ReadFailure.AuthenticationFailed"/> the key
    /// changed; otherwise the marker is written (when <paramref name="writeMarker"/>).
    /// </summary>
    /// <exception cref="CredentialStoreException">the marker cannot be read or written</exception>
    public static KeyCheckResult Check(ICredentialStore store, ReadOnlySpan<byte> key, bool writeMarker)
    {
        ArgumentNullException.ThrowIfNull(store);
        var path = PathIn(store.Directory);
        var expected = MarkerFor(key);
        byte[]? marker;
        try
        {
            marker = AtomicFile.ReadSmall(path, 4096);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot read the key-check marker {path}: {ex.Message}", ex);
        }
        if (marker is not null)
        {
            if (marker.Length == MarkerLength && CryptographicOperations.FixedTimeEquals(marker, expected))
                return new KeyCheckResult(KeyCheckOutcome.Matched, "the key-check marker matches the cache key", 0);
            if (store.Enumerate().Count > 0)
                return new KeyCheckResult(KeyCheckOutcome.Mismatch, $"the key-check marker {FileName} does not match the cache key", 0);
            // No entry to protect: freezing would only stop caching. The marker follows the new key.
            if (writeMarker) WriteMarker(store.Directory, key);
            return new KeyCheckResult(KeyCheckOutcome.MarkerWritten, "key-check marker rewritten for the new key (the cache holds no entry)", 0);
        }

        int sampled = 0, failed = 0;
        long newest = 0;
        foreach (var file in store.Enumerate().Take(SampleSize))
        {
            switch (store.ReadByKey(file.Key))
            {
                case ReadOutcome.Found { Entry: var e }:
                    sampled++;
                    newest = Math.Max(newest, Math.Max(e.CreatedAt, e.LastSuccess));
                    break;
                case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed }:
                    sampled++;
                    failed++;
                    break;
                case ReadOutcome.Unreadable:
                    sampled++;
                    break;
            }
        }
        if (sampled > 0 && failed * 2 > sampled)
            return new KeyCheckResult(KeyCheckOutcome.Mismatch,
                $"no key-check marker, and {failed} of {sampled} sampled entries do not decrypt under the cache key", newest);
        if (writeMarker) WriteMarker(store.Directory, key);
        return new KeyCheckResult(KeyCheckOutcome.MarkerWritten,
            sampled == 0 ? "key-check marker written (empty cache)" : $"key-check marker written ({sampled - failed} of {sampled} sampled entries decrypt)", newest);
    }

    /// <summary>Writes (atomically, 0600) the marker of <paramref name="key"/>.</summary>
    public static void WriteMarker(string directory, ReadOnlySpan<byte> key)
    {
        try
        {
            AtomicFile.Write(PathIn(directory), MarkerFor(key));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot write the key-check marker in {directory}: {ex.Message}", ex);
        }
    }

    /// <summary>Removes the marker (a clear that also removes the salt: the next key is new).</summary>
    public static void RemoveMarker(string directory)
    {
        try
        {
            File.Delete(PathIn(directory));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CredentialStoreException($"cannot remove the key-check marker in {directory}: {ex.Message}", ex);
        }
    }
}
