using OpenBastion.Actors;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Time;

namespace OpenBastion.Host.Hosting;

/// <summary>
/// The engine's resources for the life of the daemon: the cache directory lock (a second daemon on
/// the same cache refuses to start), the store and its key, the key check and the cache guard, the
/// policy clock (a high-water mark over the system clock), the hasher and the LLNG client. Opened
/// before the host is built so that every start-up failure maps to its own exit code.
/// </summary>
public sealed class DaemonRuntime : IDisposable
{
    private static readonly UnixFileMode CacheDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly DirectoryLock _lock;
    private readonly IDisposable? _online;

    private DaemonRuntime(DirectoryLock directoryLock, CredentialStore store, ActorServices services, HighWaterClock clock, KeyCheckResult keyCheck)
    {
        _lock = directoryLock;
        Store = store;
        _online = services.Online as IDisposable;
        Services = services;
        Clock = clock;
        KeyCheck = keyCheck;
    }

    public ActorServices Services { get; }

    public EngineSettings Settings => Services.Settings;

    /// <summary>The cache files (the rekey works on it directly).</summary>
    public CredentialStore Store { get; }

    /// <summary>Policy time: never behind the highest time seen, persisted in the cache directory.</summary>
    public HighWaterClock Clock { get; }

    /// <summary>What the start-up key check found (a mismatch freezes <see cref="Guard"/>).</summary>
    public KeyCheckResult KeyCheck { get; }

    /// <summary>Frozen while the key material does not match the cache.</summary>
    public CacheGuard Guard => Services.Guard;

    /// <summary>Whether the cache key mixes in a key file (logged at start-up; machine-id only is weaker).</summary>
    public bool UsedKeyFile { get; private init; }

    /// <summary>
    /// Opens everything in order: cache directory (73), its lock (75, after <paramref name="lockWait"/>:
    /// by default none), the key (78 for refused key material), the store (73), the key check and the
    /// clock (73), the LLNG client (78).
    /// <paramref name="online"/> replaces LLNG (tests).
    /// </summary>
    public static DaemonRuntime Open(EngineSettings settings, TimeProvider time, IOnlineAuthenticator? online = null, IPasswordHasher? hasher = null,
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
                var guard = new CacheGuard(time);
                KeyCheckResult check;
                HighWaterClock clock;
                try
                {
                    // Before any entry is touched: a key change freezes the cache instead of quarantining it.
                    check = store.CheckKey(writeMarker: true);
                    if (check.Outcome == KeyCheckOutcome.Mismatch) guard.Freeze($"{check.Detail}: {CacheGuard.MismatchAdvice}");
                    else guard.MarkChecked();
                    clock = new HighWaterClock(time, directory,
                        check.NewestTimestamp > 0 ? DateTimeOffset.FromUnixTimeSeconds(check.NewestTimestamp) : null);
                    clock.Persist();
                }
                catch (CredentialStoreException ex)
                {
                    throw new StartupException(ExitCodes.CannotCreate, ex.Message, ex);
                }
                online ??= CreateLlngClient(settings);
                var services = new ActorServices(settings, store, hasher ?? Argon2HasherSelector.Default, online, clock) { Guard = guard };
                return new DaemonRuntime(directoryLock!, store, services, clock, check) { UsedKeyFile = key.UsedKeyFile };
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

    /// <summary>
    /// <c>ob-cache-admin rekey</c> through the daemon: every entry re-encrypted under the key material as
    /// configured now (the admin tool has written the new key file), opened with the key in use or the key of
    /// <paramref name="oldKeyFile"/> (recovery form); then the marker is rewritten and the cache thaws. Every
    /// read and write of the store waits meanwhile (the store's key lock), so no login races it.
    /// </summary>
    public RekeyReport Rekey(ReadOnlySpan<byte> oldKeyFile) => CacheRekey.Run(Store, Settings, oldKeyFile, Guard);

    /// <summary>After <c>clear</c> through the daemon: the (now empty) cache is under the key in use; thaw.</summary>
    public void ResetKeyCheck()
    {
        Store.WriteKeyCheckMarker();
        Guard.Thaw();
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
        try
        {
            Clock.Persist();
        }
        catch (CredentialStoreException)
        {
            // Best effort at the very end; the periodic persist has kept the mark within a minute.
        }
        _online?.Dispose();
        Store.Dispose();
        _lock.Dispose();
    }
}
