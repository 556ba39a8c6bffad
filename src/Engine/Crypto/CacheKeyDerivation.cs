using System.Security.Cryptography;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Native;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Derives the offline cache's key exactly as Open Bastion 0.6 does (DESIGN §3.5):
/// PBKDF2-HMAC-SHA256(keyfile[0..32] ‖ machine-id text, salt = the 16 bytes of <c>.cred_salt</c>,
/// 100 000 iterations, 32 bytes); without a key file, the machine-id text alone.
/// </summary>
/// <remarks>
/// The salt and the instance id are created once (random, 0600, exclusive create through a hard link so
/// that two processes never see a half-written file) and never regenerated: a new salt would make every
/// cached entry unreadable, so a damaged one is an error for the operator to resolve.
/// </remarks>
public static class CacheKeyDerivation
{
    public const int Iterations = 100_000;
    public const int KeyFileBytes = 32;
    public const int SaltLength = 16;
    public const string SaltFileName = ".cred_salt";
    public const string InstanceIdFileName = ".instance_id";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>The key for the configured cache (creates the directory, salt and instance id when absent).</summary>
    public static CacheKey Derive(EngineSettings settings) =>
        Derive(settings.OfflineCacheKeyFile, settings.MachineIdFile, settings.OfflineCacheDir);

    /// <param name="keyFile">the key file; absent (or null) means machine-id only</param>
    /// <param name="machineIdFile">normally <c>/etc/machine-id</c>; when absent or empty, <c>&lt;dir&gt;/.instance_id</c></param>
    /// <param name="cacheDir">the offline cache directory (created 0700 when absent)</param>
    public static CacheKey Derive(string? keyFile, string machineIdFile, string cacheDir)
    {
        var keyBytes = keyFile is null ? null : ReadKeyFile(keyFile);
        try
        {
            EnsureDirectory(cacheDir);
            var salt = LoadOrCreateSalt(cacheDir);
            var (machineId, source) = LoadMachineId(machineIdFile, cacheDir);
            var key = DeriveKey(keyBytes, machineId, salt);
            try
            {
                return new CacheKey(key, keyBytes is not null, source);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        finally
        {
            if (keyBytes is not null) CryptographicOperations.ZeroMemory(keyBytes);
        }
    }

    /// <summary>PBKDF2-HMAC-SHA256(keyFile ‖ machineId, salt, 100 000, 32). <paramref name="keyFile"/> may be empty.</summary>
    public static byte[] DeriveKey(ReadOnlySpan<byte> keyFile, ReadOnlySpan<byte> machineId, ReadOnlySpan<byte> salt)
    {
        if (salt.Length != SaltLength) throw new ArgumentException($"the salt is {SaltLength} bytes", nameof(salt));
        if (!keyFile.IsEmpty && keyFile.Length != KeyFileBytes)
            throw new ArgumentException($"the key file part is {KeyFileBytes} bytes", nameof(keyFile));

        var password = new byte[keyFile.Length + machineId.Length];
        try
        {
            keyFile.CopyTo(password);
            machineId.CopyTo(password.AsSpan(keyFile.Length));
            return Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, CacheKey.Length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(password);
        }
    }

    /// <summary>The first 32 bytes of the key file, or null when there is none.</summary>
    internal static byte[]? ReadKeyFile(string path)
    {
        byte[]? bytes;
        try
        {
            bytes = ProtectedFile.ReadIfExists(path, KeyFileBytes);
        }
        catch (InsecureFileException e)
        {
            throw new KeyMaterialException($"cache key file {path} {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"cache key file {path} cannot be read: {e.Message}", e);
        }

        if (bytes is null || bytes.Length == KeyFileBytes) return bytes;
        var length = bytes.Length;
        CryptographicOperations.ZeroMemory(bytes);
        throw new KeyMaterialException(
            $"cache key file {path} holds {length} bytes; at least {KeyFileBytes} random bytes are required " +
            $"(create it with: head -c {KeyFileBytes} /dev/urandom > {path} && chmod 600 {path})");
    }

    /// <summary>The 16 bytes of <c>&lt;dir&gt;/.cred_salt</c>, created at random when absent.</summary>
    public static byte[] LoadOrCreateSalt(string cacheDir)
    {
        var path = Path.Combine(cacheDir, SaltFileName);
        while (true)
        {
            if (ReadExisting(path, SaltLength + 1, "salt file") is { } existing)
            {
                if (existing.Length == SaltLength) return existing;
                throw new KeyMaterialException(
                    $"salt file {path} holds {existing.Length} bytes, {SaltLength} expected; it is never regenerated " +
                    "(every cached entry depends on it): restore it, or clear the cache and remove it");
            }

            var salt = RandomNumberGenerator.GetBytes(SaltLength);
            if (CreateExclusive(path, salt, "salt file")) return salt;
            // Another process created it first: read theirs.
        }
    }

    /// <summary>The machine-id text (trailing whitespace removed) and the file it came from.</summary>
    internal static (byte[] Text, string Source) LoadMachineId(string machineIdFile, string cacheDir)
    {
        if (ReadExisting(machineIdFile, 4096, "machine-id file") is { } systemId && TrimEnd(systemId) is { Length: > 0 } id)
            return (id, machineIdFile);

        var path = Path.Combine(cacheDir, InstanceIdFileName);
        while (true)
        {
            if (ReadExisting(path, 4096, "instance id file") is { } existing)
            {
                if (TrimEnd(existing) is { Length: > 0 } instance) return (instance, path);
                throw new KeyMaterialException(
                    $"instance id file {path} is empty; it is never regenerated (every cached entry depends on it): " +
                    "restore it, or clear the cache and remove it");
            }

            var created = System.Text.Encoding.ASCII.GetBytes(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)));
            if (CreateExclusive(path, created, "instance id file")) return (created, path);
        }
    }

    private static void EnsureDirectory(string dir)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the offline cache needs Unix permissions");
        if (Directory.Exists(dir)) return;
        if (File.Exists(dir)) throw new KeyMaterialException($"cache directory {dir} is not a directory");
        try
        {
            Directory.CreateDirectory(dir, DirectoryMode);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"cache directory {dir} cannot be created: {e.Message}", e);
        }
    }

    /// <summary>Up to <paramref name="max"/> bytes of the file; null when it does not exist.</summary>
    private static byte[]? ReadExisting(string path, int max, string what)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[max];
            var total = 0;
            int n;
            while (total < max && (n = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0) total += n;
            return buffer[..total];
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"{what} {path} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// Writes <paramref name="content"/> to a private temporary file, then links it to <paramref name="path"/>;
    /// false when <paramref name="path"/> appeared meanwhile (another process won the race).
    /// </summary>
    private static bool CreateExclusive(string path, byte[] content, string what)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException("the offline cache needs Unix permissions");
        var dir = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(dir, $"{Path.GetFileName(path)}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp");
        try
        {
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                Share = FileShare.None,
                UnixCreateMode = FileMode0600,
            };
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            var errno = Libc.Link(temp, path);
            if (errno == Libc.EEXIST) return false;
            if (errno != 0)
                throw new KeyMaterialException($"{what} {path} cannot be created: link failed with errno {errno}");
            LibcFiles.FsyncDirectory(dir);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KeyMaterialException($"{what} {path} cannot be created: {e.Message}", e);
        }
        finally
        {
            try
            {
                File.Delete(temp);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: an orphaned temporary file holds nothing secret and the janitor removes it.
            }
        }
    }

    private static byte[] TrimEnd(byte[] text)
    {
        var end = text.Length;
        while (end > 0 && text[end - 1] is (byte)'\n' or (byte)'\r' or (byte)' ' or (byte)'\t') end--;
        return end == text.Length ? text : text[..end];
    }
}
