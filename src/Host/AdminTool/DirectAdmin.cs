using System.Security.Cryptography;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Maintenance;
using OpenBastion.Engine.Policy;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// The admin commands on the cache files themselves, for when the daemon does not run. The caller
/// holds the directory lock (<see cref="Open"/> takes it), so nothing else writes meanwhile. Uses the
/// engine's store, key derivation and policies; the commands that need the daemon (status, offline,
/// online, auth) are refused here.
/// </summary>
public sealed class DirectAdmin : IAdminExecutor, IDisposable
{
    private readonly EngineSettings _settings;
    private readonly CredentialStore? _store;
    private readonly DirectoryLock? _lock;
    private readonly TimeProvider _time;
    private readonly ExpiryPolicy _expiry;
    private readonly bool _saltPresent;
    private readonly CacheGuard _guard;

    private DirectAdmin(EngineSettings settings, CredentialStore? store, DirectoryLock? directoryLock, TimeProvider time, bool saltPresent)
    {
        _settings = settings;
        _store = store;
        _lock = directoryLock;
        _time = time;
        _saltPresent = saltPresent;
        _expiry = ExpiryPolicy.From(settings);
        _guard = new CacheGuard(time);
        if (store is null || !saltPresent) return;
        // The daemon's start-up check, read-only: a key change freezes the cache here too.
        var check = store.CheckKey(writeMarker: false);
        if (check.Outcome == KeyCheckOutcome.Mismatch) _guard.Freeze($"{check.Detail}: {CacheGuard.MismatchAdvice}");
        else _guard.MarkChecked();
    }

    private CacheKeyReport KeyReport() => _guard.Frozen
        ? new CacheKeyReport("mismatch", _guard.Reason)
        : new CacheKeyReport(_guard.State == CacheKeyState.Ok ? "ok" : "unchecked", null);

    /// <summary>Only <c>config</c>: no cache access, no lock.</summary>
    public static DirectAdmin ConfigOnly(EngineSettings settings, TimeProvider time) => new(settings, null, null, time, false);

    /// <summary>
    /// Takes the directory lock and opens the store. Never creates the cache directory or its salt:
    /// without a salt no entry can be decrypted, so every entry reads as unreadable (a random key).
    /// </summary>
    /// <exception cref="AdminFailure">missing directory (74), lock held (75), key material refused (78), I/O (74)</exception>
    public static DirectAdmin Open(EngineSettings settings, TimeProvider time)
    {
        var directory = Path.GetFullPath(settings.OfflineCacheDir);
        if (!Directory.Exists(directory))
            throw new AdminFailure(ExitCodes.IoError, $"cache directory {directory} does not exist");

        DirectoryLock? directoryLock;
        try
        {
            if (!DirectoryLock.TryAcquire(directory, out directoryLock, DirectoryLock.AdminHolder))
                throw new AdminFailure(ExitCodes.Locked,
                    $"cache directory {directory} is locked by another process, but the daemon's socket {settings.SocketPath} does not answer " +
                    "(is obactors starting, stopping or hung?); try again, or check 'systemctl status obactors'");
        }
        catch (CredentialStoreException ex)
        {
            throw new AdminFailure(ExitCodes.IoError, ex.Message);
        }

        try
        {
            var saltPresent = File.Exists(Path.Combine(directory, CacheKeyDerivation.SaltFileName));
            byte[] key;
            if (saltPresent)
            {
                using var derived = CacheKeyDerivation.Derive(settings.OfflineCacheKeyFile, settings.MachineIdFile, directory);
                key = derived.Bytes.ToArray();
            }
            else
            {
                key = RandomNumberGenerator.GetBytes(CacheKey.Length);
            }
            try
            {
                // Policy time as the daemon sees it: never behind its persisted high-water mark (read, not written).
                TimeProvider policyTime;
                try
                {
                    policyTime = new Engine.Time.HighWaterClock(time, directory);
                }
                catch (CredentialStoreException)
                {
                    policyTime = time;
                }
                return new DirectAdmin(settings, new CredentialStore(directory, key, policyTime), directoryLock, policyTime, saltPresent);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(key);
            }
        }
        catch (KeyMaterialException ex)
        {
            directoryLock!.Dispose();
            throw new AdminFailure(ExitCodes.Configuration, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
        {
            directoryLock!.Dispose();
            throw new AdminFailure(ExitCodes.IoError, $"cannot open cache directory {directory}: {ex.Message}");
        }
    }

    public Task<AdminReply> ExecuteAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return Task.FromResult(Execute(request));
        }
        catch (CredentialStoreException ex)
        {
            return Task.FromResult(AdminReply.Error(AdminStatus.Failed, ex.Message));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Task.FromResult(AdminReply.Error(AdminStatus.Failed, $"cache I/O error: {ex.Message}"));
        }
    }

    private AdminReply Execute(AdminRequest request)
    {
        if (request.Command == AdminCommand.Config)
            return AdminReply.Ok(new ConfigReport(_settings.ConfigFile, SettingsLoader.Describe(_settings)));
        if (request.Command is AdminCommand.Status or AdminCommand.ForceOffline or AdminCommand.ForceOnline or AdminCommand.ClearForce or AdminCommand.Auth)
            return AdminReply.Error(AdminStatus.Unavailable, "this command needs the obactors daemon");
        if (_store is null) throw new InvalidOperationException("opened for config only");
        var now = _time.GetUtcNow();
        if (AdminUsers.Check(request) is { } bad) return bad;
        if (_guard.Frozen && request.Command is AdminCommand.Expire or AdminCommand.Cleanup)
            return AdminOutcomes.Frozen(_guard.Reason ?? "");
        var maintenance = new CacheMaintenance(_store, _expiry, _guard, keyKnown: _saltPresent);

        switch (request.Command)
        {
            case AdminCommand.List:
                return AdminReply.Ok(EntryClassifier.Survey(_store, _expiry, now));
            case AdminCommand.Stats:
                return AdminReply.Ok(EntryClassifier.Stats(_store, _expiry, now, null) with { CacheKey = KeyReport() });
            case AdminCommand.Rekey:
                return Rekey(request);
            case AdminCommand.Show:
                var entry = maintenance.Describe(_store.Read(request.User), now);
                return entry.Status == EntryStatus.Unreadable && !_saltPresent
                    ? SaltMissing(request.User)
                    : AdminOutcomes.Show(request.User, entry);
            case AdminCommand.Invalidate:
                return AdminOutcomes.Invalidate(request.User, maintenance.Invalidate(request.User));
            case AdminCommand.Unlock:
                var unlocked = maintenance.Unlock(request.User, now);
                return unlocked is UnlockOutcome.Unreadable && !_saltPresent
                    ? SaltMissing(request.User)
                    : AdminOutcomes.Unlock(request.User, unlocked);
            case AdminCommand.InvalidateAll:
                return AdminReply.Ok(InvalidateAll());
            case AdminCommand.Expire:
                return AdminReply.Ok(AdminOutcomes.Sweep(maintenance.Sweep(SweepKind.Expire, now, TimeSpan.Zero)));
            case AdminCommand.Cleanup:
                // The directory lock is held: no writer runs, a temporary file of any age is an orphan.
                return AdminReply.Ok(AdminOutcomes.Sweep(maintenance.Sweep(SweepKind.Cleanup, now, TimeSpan.Zero)));
            default:
                return AdminReply.Error(AdminStatus.BadRequest, $"unknown command {request.Command}");
        }
    }

    private static AdminReply SaltMissing(string user) =>
        AdminReply.Error(AdminStatus.Unreadable,
            $"cache entry for user '{user}' is unreadable: the salt file {CacheKeyDerivation.SaltFileName} is missing");

    /// <summary>Every entry shredded, then the salt file removed, so that no copy of an entry can be read again.</summary>
    private ActionReport InvalidateAll()
    {
        var removed = 0;
        foreach (var file in _store!.Enumerate())
            if (_store.DeleteByKey(file.Key)) removed++;
        foreach (var temp in _store.OrphanedTemporaryFiles(TimeSpan.Zero))
            _store.RemoveTemporaryFile(temp);
        var salt = Path.Combine(_store.Directory, CacheKeyDerivation.SaltFileName);
        var saltRemoved = File.Exists(salt);
        if (saltRemoved) File.Delete(salt);
        // A new salt means a new key: the marker is written afresh at the next start.
        CacheKeyCheck.RemoveMarker(_store.Directory);
        return new ActionReport($"{removed} cache entries removed" + (saltRemoved ? $"; salt file {CacheKeyDerivation.SaltFileName} removed (a new key is derived at the next start)" : ""), removed);
    }

    /// <summary>rekey with the daemon stopped: the key file rotated here (plain form), then every entry re-encrypted.</summary>
    private AdminReply Rekey(AdminRequest request)
    {
        if (!_saltPresent)
            return AdminReply.Error(AdminStatus.Failed, $"the salt file {CacheKeyDerivation.SaltFileName} is missing: no entry can be decrypted, nothing to rekey");
        if (AdminOutcomes.OldKeyFile(request, out var refusal) is not { } old) return refusal!;
        try
        {
            var plain = old.Length == 0;
            if (plain)
            {
                if (_guard.Frozen) return AdminOutcomes.FrozenPlainRekey(_guard.Reason);
                AdminRekey.Rotate(_settings);
            }
            var reply = AdminOutcomes.Rekey(CacheRekey.Run(_store!, _settings, old, _guard));
            if (plain && reply.Status == AdminStatus.Ok) KeyFileRotation.Complete(_settings.OfflineCacheKeyFile);
            return reply;
        }
        catch (KeyMaterialException ex)
        {
            return AdminReply.Error(AdminStatus.Failed, $"key material: {ex.Message}");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(old);
        }
    }

    public void Dispose()
    {
        _store?.Dispose();
        _lock?.Dispose();
    }
}
