using System.Security.Cryptography;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Host.Admin;

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
            throw new AdminFailure(AdminExitCodes.IoError, $"cache directory {directory} does not exist");

        DirectoryLock? directoryLock;
        try
        {
            if (!DirectoryLock.TryAcquire(directory, out directoryLock, DirectoryLock.AdminHolder))
                throw new AdminFailure(AdminExitCodes.Locked,
                    $"cache directory {directory} is locked by another process, but the daemon's socket {settings.SocketPath} does not answer " +
                    "(is obactors starting, stopping or hung?); try again, or check 'systemctl status obactors'");
        }
        catch (CredentialStoreException ex)
        {
            throw new AdminFailure(AdminExitCodes.IoError, ex.Message);
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
            throw new AdminFailure(AdminExitCodes.Configuration, ex.Message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
        {
            directoryLock!.Dispose();
            throw new AdminFailure(AdminExitCodes.IoError, $"cannot open cache directory {directory}: {ex.Message}");
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
        if (_guard.Frozen && request.Command is AdminCommand.Invalidate or AdminCommand.Unlock or AdminCommand.Expire or AdminCommand.Cleanup)
            return AdminReply.Error(AdminStatus.Failed, $"offline cache frozen, nothing changed: {_guard.Reason}");

        switch (request.Command)
        {
            case AdminCommand.List:
                return AdminReply.Ok(EntryClassifier.Survey(_store, _expiry, now));
            case AdminCommand.Stats:
                return AdminReply.Ok(EntryClassifier.Stats(_store, _expiry, now, null) with { CacheKey = KeyReport() });
            case AdminCommand.Rekey:
                return Rekey(request);
            case AdminCommand.Show:
                return _store.Read(request.User) switch
                {
                    ReadOutcome.Found f => AdminReply.Ok(EntryClassifier.Report(request.User, f.Entry, _expiry, now)),
                    ReadOutcome.Unreadable u => Unreadable(request.User, u),
                    _ => AdminUsers.NoEntry(request.User),
                };
            case AdminCommand.Invalidate:
                return _store.Delete(request.User)
                    ? AdminReply.Ok(new ActionReport($"cache entry for user '{request.User}' removed", 1))
                    : AdminUsers.NoEntry(request.User);
            case AdminCommand.Unlock:
                switch (_store.Read(request.User))
                {
                    case ReadOutcome.Found { Entry: var entry }:
                        var wasLocked = LockoutPolicy.IsLocked(entry, now);
                        _store.Write(LockoutPolicy.Unlock(entry));
                        return AdminReply.Ok(new ActionReport(wasLocked
                            ? $"user '{request.User}' unlocked ({entry.FailedAttempts} failed attempts cleared)"
                            : $"user '{request.User}' was not locked; {entry.FailedAttempts} failed attempts cleared", wasLocked ? 1 : 0));
                    case ReadOutcome.Unreadable u:
                        return Unreadable(request.User, u);
                    default:
                        return AdminUsers.NoEntry(request.User);
                }
            case AdminCommand.InvalidateAll:
                return AdminReply.Ok(InvalidateAll());
            case AdminCommand.Expire:
                return AdminReply.Ok(Sweep(expire: true, cleanup: false, now));
            case AdminCommand.Cleanup:
                return AdminReply.Ok(Sweep(expire: false, cleanup: true, now));
            default:
                return AdminReply.Error(AdminStatus.BadRequest, $"unknown command {request.Command}");
        }
    }

    private AdminReply Unreadable(string user, ReadOutcome.Unreadable u) =>
        AdminReply.Error(AdminStatus.Unreadable,
            _saltPresent
                ? $"cache entry for user '{user}' is unreadable ({u.Failure}); 'cleanup' sets it aside, 'invalidate {user}' removes it"
                : $"cache entry for user '{user}' is unreadable: the salt file {CacheKeyDerivation.SaltFileName} is missing");

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

    /// <summary>
    /// expire: delete expired entries. cleanup: remove temporary files (no writer runs: any age),
    /// empty entry files, and set unreadable entries aside in the quarantine folder.
    /// </summary>
    private SweepResult Sweep(bool expire, bool cleanup, DateTimeOffset now)
    {
        int scanned = 0, expired = 0, temporary = 0, empty = 0, quarantined = 0;
        if (cleanup)
        {
            foreach (var temp in _store!.OrphanedTemporaryFiles(TimeSpan.Zero))
            {
                _store.RemoveTemporaryFile(temp);
                temporary++;
            }
        }
        foreach (var file in _store!.Enumerate())
        {
            scanned++;
            if (cleanup && file.Length == 0)
            {
                if (_store.DeleteByKey(file.Key)) empty++;
                continue;
            }
            switch (_store.ReadByKey(file.Key))
            {
                case ReadOutcome.Found f when expire && _expiry.IsExpired(f.Entry, now):
                    if (_store.DeleteByKey(file.Key)) expired++;
                    break;
                case ReadOutcome.Found:
                    _guard.RecordReadable(file.Key);
                    break;
                case ReadOutcome.Unreadable { Failure: ReadFailure.IoError }:
                    break; // a transient error is not corruption: left in place
                case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed } when cleanup && _saltPresent && !_guard.RecordAuthenticationFailure(file.Key):
                    break; // most entries stopped decrypting: frozen, nothing quarantined
                case ReadOutcome.Unreadable when cleanup && _saltPresent && !_guard.Frozen:
                    _store.Quarantine(file.Key);
                    quarantined++;
                    break;
            }
        }
        return new SweepResult(scanned, expired, temporary, empty, quarantined);
    }

    /// <summary>rekey with the daemon stopped: the key file rotated here (plain form), then every entry re-encrypted.</summary>
    private AdminReply Rekey(AdminRequest request)
    {
        if (!_saltPresent)
            return AdminReply.Error(AdminStatus.Failed, $"the salt file {CacheKeyDerivation.SaltFileName} is missing: no entry can be decrypted, nothing to rekey");
        byte[] old;
        try
        {
            old = request.Password is { Length: > 0 } hex ? Convert.FromHexString(System.Text.Encoding.ASCII.GetString(hex.Utf8)) : [];
        }
        catch (FormatException)
        {
            return AdminReply.Error(AdminStatus.BadRequest, "the old key is not hexadecimal");
        }
        try
        {
            var plain = old.Length == 0;
            if (plain)
            {
                if (_guard.Frozen)
                    return AdminReply.Error(AdminStatus.Failed,
                        $"offline cache frozen ({_guard.Reason}); a plain rekey would re-encrypt nothing: use 'rekey --from-key-file OLD' or 'clear'");
                AdminRekey.Rotate(_settings);
            }
            var reply = AdminRekey.Reply(CacheRekey.Run(_store!, _settings, old, _guard));
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

/// <summary>User-name checks and replies shared by both paths.</summary>
internal static class AdminUsers
{
    public static AdminReply? Check(AdminRequest request)
    {
        if (AdminCommands.Arity(request.Command) < 1 || request.Command == AdminCommand.Rekey) return null;
        var user = request.User;
        if (user.Length == 0) return AdminReply.Error(AdminStatus.BadRequest, "the user name is empty");
        if (System.Text.Encoding.UTF8.GetByteCount(user) > BridgeProtocol.MaxUser)
            return AdminReply.Error(AdminStatus.BadRequest, $"the user name is longer than {BridgeProtocol.MaxUser} bytes");
        if (user.Any(char.IsControl)) return AdminReply.Error(AdminStatus.BadRequest, "the user name contains control characters");
        return null;
    }

    public static AdminReply NoEntry(string user) => AdminReply.Error(AdminStatus.NotFound, $"no cache entry for user '{user}'");
}
