using OpenBastion.Actors;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;

namespace OpenBastion.Host.Hosting;

/// <summary>
/// The engine's resources for the life of the daemon: the cache directory lock (a second daemon on
/// the same cache refuses to start), the store and its key, the hasher and the LLNG client. Opened
/// before the host is built so that every start-up failure maps to its own exit code.
/// </summary>
public sealed class EngineRuntime : IDisposable
{
    private static readonly UnixFileMode CacheDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly DirectoryLock _lock;
    private readonly CredentialStore _store;
    private readonly IDisposable? _online;

    private EngineRuntime(DirectoryLock directoryLock, CredentialStore store, EngineServices services)
    {
        _lock = directoryLock;
        _store = store;
        _online = services.Online as IDisposable;
        Services = services;
    }

    public EngineServices Services { get; }

    public EngineSettings Settings => Services.Settings;

    /// <summary>Whether the cache key mixes in a key file (logged at start-up; machine-id only is weaker).</summary>
    public bool UsedKeyFile { get; private init; }

    /// <summary>
    /// Opens everything in order: cache directory (73), its lock (75, after <paramref name="lockWait"/>:
    /// by default none), the key (78 for refused key material), the store (73), the LLNG client (78).
    /// <paramref name="online"/> replaces LLNG (tests).
    /// </summary>
    public static EngineRuntime Open(EngineSettings settings, TimeProvider time, IOnlineAuthenticator? online = null, IPasswordHasher? hasher = null,
        CacheLockWait? lockWait = null)
    {
        var directory = Path.GetFullPath(settings.OfflineCacheDir);
        try
        {
            if (!Directory.Exists(directory)) Directory.CreateDirectory(directory, CacheDirectoryMode);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.CannotCreate, $"cannot create the cache directory '{directory}': {ex.Message}", ex);
        }

        DirectoryLock? directoryLock;
        try
        {
            directoryLock = (lockWait ?? CacheLockWait.None).Acquire(directory, out var holder);
            if (directoryLock is null)
                throw new StartupException(ExitCodes.Locked, holder is { IsAlive: true }
                    ? $"the cache directory '{directory}' is locked by another process ({holder.Name}, pid {holder.Pid})"
                    : $"the cache directory '{directory}' is locked by another process (is obactors already running?)");
        }
        catch (CredentialStoreException ex)
        {
            throw new StartupException(ExitCodes.CannotCreate, ex.Message, ex);
        }

        try
        {
            using var key = DeriveKey(settings);
            CredentialStore store;
            try
            {
                store = new CredentialStore(directory, key.Bytes, time);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
            {
                throw new StartupException(ExitCodes.CannotCreate, $"cannot open the cache directory '{directory}': {ex.Message}", ex);
            }

            try
            {
                online ??= CreateLlngClient(settings);
                var services = new EngineServices(settings, store, hasher ?? Argon2HasherSelector.Default, online, time);
                return new EngineRuntime(directoryLock!, store, services) { UsedKeyFile = key.UsedKeyFile };
            }
            catch
            {
                store.Dispose();
                throw;
            }
        }
        catch
        {
            directoryLock!.Dispose();
            throw;
        }
    }

    private static CacheKey DeriveKey(EngineSettings settings)
    {
        try
        {
            return CacheKeyDerivation.Derive(settings);
        }
        catch (KeyMaterialException ex)
        {
            throw new StartupException(ExitCodes.Configuration, ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(ExitCodes.CannotCreate, $"cannot derive the cache key: {ex.Message}", ex);
        }
    }

    private static LlngClient CreateLlngClient(EngineSettings settings)
    {
        try
        {
            return new LlngClient(settings);
        }
        catch (ArgumentException ex)
        {
            // The loader validates these keys; this only guards a combination it let through.
            throw new StartupException(ExitCodes.Configuration, ex.Message.Split(" (Parameter", 2)[0], ex);
        }
    }

    public void Dispose()
    {
        _online?.Dispose();
        _store.Dispose();
        _lock.Dispose();
    }
}
