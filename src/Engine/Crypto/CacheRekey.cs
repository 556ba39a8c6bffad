using System.Security.Cryptography;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Key rotation and recovery of the offline cache (issue 10 item 4, <c>ob-cache-admin rekey</c>): every entry
/// is re-encrypted under the key derived from the configured key material as it is now; entries are opened
/// with the store's current key or, for the recovery form, the key derived from an old key file. Then the
/// key-check marker is rewritten for the new key and the cache thaws.
/// </summary>
public static class CacheRekey
{
    /// <param name="store">the cache; its key becomes the new one</param>
    /// <param name="settings">where the key file, machine-id and salt are</param>
    /// <param name="oldKeyFile">the first 32 bytes of an old key file (recovery form), or empty</param>
    /// <param name="guard">thawed once the marker matches the new key</param>
    /// <exception cref="KeyMaterialException">the key material cannot be read</exception>
    /// <exception cref="CredentialStoreException">the marker cannot be written</exception>
    public static RekeyReport Run(CredentialStore store, EngineSettings settings, ReadOnlySpan<byte> oldKeyFile, CacheGuard? guard)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(settings);
        using var target = CacheKeyDerivation.Derive(settings.OfflineCacheKeyFile, settings.MachineIdFile, store.Directory);
        var others = new List<byte[]>();
        try
        {
            if (!oldKeyFile.IsEmpty) others.Add(DeriveWithKeyFile(oldKeyFile, settings.MachineIdFile, store.Directory));
            var report = store.Rekey(target.Bytes, others);
            store.WriteKeyCheckMarker();
            guard?.Thaw();
            return report;
        }
        finally
        {
            foreach (var key in others) CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The cache key that <paramref name="keyFile"/> (32 bytes) gives with this machine-id and salt.</summary>
    public static byte[] DeriveWithKeyFile(ReadOnlySpan<byte> keyFile, string machineIdFile, string cacheDir)
    {
        if (keyFile.Length != CacheKeyDerivation.KeyFileBytes)
            throw new KeyMaterialException($"an old key file holds {keyFile.Length} bytes; {CacheKeyDerivation.KeyFileBytes} expected");
        var salt = CacheKeyDerivation.LoadOrCreateSalt(cacheDir);
        var (machineId, _) = CacheKeyDerivation.LoadMachineId(machineIdFile, cacheDir);
        try
        {
            return CacheKeyDerivation.DeriveKey(keyFile, machineId, salt);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(machineId);
        }
    }

    /// <summary>The first 32 bytes of a key file, refused like the configured one when loose or short.</summary>
    public static byte[] ReadKeyFile(string path) =>
        CacheKeyDerivation.ReadKeyFile(path) ?? throw new KeyMaterialException($"key file {path} does not exist");
}

/// <summary>
/// A new key file for <c>rekey</c>: the current one is kept as <c>&lt;keyfile&gt;.old</c> (0600) until the
/// rekey completes, then removed. A leftover <c>.old</c> means an earlier rekey did not complete: it is
/// never overwritten (some entries may still be under it).
/// </summary>
public static class KeyFileRotation
{
    public static string OldPath(string keyFile) => keyFile + ".old";

    /// <summary>Keeps the current key file as .old, then writes 32 new random bytes to the key file (atomically, 0600).</summary>
    /// <exception cref="KeyMaterialException">a .old is left from an earlier rekey, or the files cannot be written</exception>
    public static void Begin(string keyFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(keyFile);
        var old = OldPath(keyFile);
        if (File.Exists(old) || new FileInfo(old).LinkTarget is not null)
            throw new KeyMaterialException(
                $"{old} is left from a rekey that did not complete; run 'ob-cache-admin rekey --from-key-file {old}' first, then remove it");
        var current = CacheKeyDerivation.ReadKeyFile(keyFile);
        var fresh = RandomNumberGenerator.GetBytes(CacheKeyDerivation.KeyFileBytes);
        try
        {
            if (current is not null) AtomicFile.Write(old, current);
            AtomicFile.Write(keyFile, fresh);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"cannot write the new key file {keyFile}: {ex.Message}", ex);
        }
        finally
        {
            if (current is not null) CryptographicOperations.ZeroMemory(current);
            CryptographicOperations.ZeroMemory(fresh);
        }
    }

    /// <summary>The rekey completed: the old key file is no longer needed.</summary>
    public static void Complete(string keyFile)
    {
        var old = OldPath(keyFile);
        if (!File.Exists(old)) return;
        try
        {
            File.Delete(old);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"cannot remove {old}: {ex.Message}", ex);
        }
    }
}
