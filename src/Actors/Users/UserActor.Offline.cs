using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Hashing;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

// DESIGN §3.1 step 5–6, §3.2, §3.3: offline verification against the cached entry.
internal sealed partial class UserActor
{
    private void Offline()
    {
        var request = _current!;
        if (!request.Message.AllowOffline || !_services.Settings.OfflineEnabled)
        {
            Reply(new AuthResult.Unavailable(UnavailableReason.OfflineDisabled));
            Finish();
            return;
        }
        var now = Now;
        var id = request.Id;
        if (_knownLocked is { } known && !_expiry.IsExpired(known, now) && LockoutPolicy.IsLocked(known, now))
        {
            RefuseLocked(known, now);
            return;
        }
        _knownLocked = null;
        if (_services.Guard.Frozen)
        {
            // Key material changed: no entry is read, quarantined or written until the key is restored (or rekeyed).
            _log.Error("offline auth unavailable for user '{0}': offline cache frozen ({1})", request.User, _services.Guard.Reason);
            Reply(new AuthResult.Unavailable(UnavailableReason.Unreadable));
            Finish();
            return;
        }
        var read = _services.Store.Read(request.User);
        if (read is ReadOutcome.Found) _services.Guard.RecordReadable(_key);
        switch (read)
        {
            case ReadOutcome.NotFound:
                // Same cost as a verification, so "not cached" is not told apart from a wrong password by timing.
                _gate.DummyVerifyAsync(request.Password, _services.Settings.Argon2, request.Message.Deadline)
                    .PipeTo(Self, success: o => new DummyHashed(id, o), failure: ex => new HashFailed(id, ex));
                return;
            case ReadOutcome.Unreadable { Failure: ReadFailure.IoError } io:
                // A transient error (EIO, EACCES, EMFILE…) is not corruption: never quarantined.
                _log.Error("offline cache entry for user '{0}' could not be read ({1}); left in place", request.User, io.Detail);
                Reply(new AuthResult.Error("credential store failure"));
                Finish();
                return;
            case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed }
                when !_services.Guard.RecordAuthenticationFailure(_key):
                _log.Error("offline cache entry for user '{0}' does not decrypt; the cache is frozen ({1}); not quarantined",
                    request.User, _services.Guard.Reason);
                Reply(new AuthResult.Unavailable(UnavailableReason.Unreadable));
                Finish();
                return;
            case ReadOutcome.Unreadable unreadable:
                var moved = _services.Store.Quarantine(_key);
                _log.Warning("offline cache entry for user '{0}' unreadable ({1}), quarantined to {2}", request.User, unreadable.Failure, moved);
                Reply(new AuthResult.Unavailable(UnavailableReason.Unreadable));
                Finish();
                return;
            case ReadOutcome.Found { Entry: var entry } when _expiry.IsExpired(entry, now):
                RemoveExpired();
                return;
            case ReadOutcome.Found { Entry: var entry } when LockoutPolicy.IsLocked(entry, now):
                RefuseLocked(entry, now);
                return;
            case ReadOutcome.Found { Entry: var entry }:
                _gate.VerifyAsync(request.Password, entry.Salt, entry.PasswordHash, entry.EffectiveParameters, request.Message.Deadline)
                    .PipeTo(Self, success: o => new Verified(id, o, entry), failure: ex => new HashFailed(id, ex));
                return;
        }
    }

    private void RefuseLocked(CredentialEntry entry, DateTimeOffset now)
    {
        _knownLocked = KnownLocked(entry);
        var left = LockoutPolicy.SecondsLeft(entry, now);
        _log.Warning("offline auth blocked for user '{0}' (locked for {1}s)", _current!.User, left);
        Reply(new AuthResult.Locked(left));
        Finish();
    }

    /// <summary>What the lock and expiry decisions need of an entry, without its verifier.</summary>
    private static CredentialEntry KnownLocked(CredentialEntry entry) => entry with { PasswordHash = [], Salt = [] };

    private void RemoveExpired()
    {
        _services.Store.Delete(_current!.User);
        _log.Info("offline cache entry for user '{0}' expired, removed", _current.User);
        Reply(new AuthResult.Unavailable(UnavailableReason.Expired));
        Finish();
    }

    private void OnDummyHashed(DummyHashed hashed)
    {
        // Timing parity with a wrong password, which persists its failure before replying: one atomic write
        // of the same cost (a failure to write answers Error, like a failed persist).
        if (hashed.Outcome is HashOutcome.Checked) _services.Store.WritePad();
        Reply(hashed.Outcome switch
        {
            HashOutcome.Checked => new AuthResult.Unavailable(UnavailableReason.NotCached),
            HashOutcome.Overloaded => AuthResult.Busy.Instance,
            _ => new AuthResult.Unavailable(UnavailableReason.TimedOut),
        });
        _log.Info("offline auth unavailable for user '{0}' (not cached)", _current!.User);
        Finish();
    }

    private void OnVerified(Verified verified)
    {
        if (verified.Outcome is not HashOutcome.Checked check)
        {
            // Shed by the hashing gate (queue full, or it could not finish in time): "busy", so PAM falls
            // through; nothing counted. Else the deadline passed while it waited.
            Reply(verified.Outcome is HashOutcome.Overloaded
                ? AuthResult.Busy.Instance
                : new AuthResult.Unavailable(UnavailableReason.TimedOut));
            Finish();
            return;
        }
        var user = _current!.User;
        var entry = verified.Entry;
        var now = Now;
        if (_services.Guard.Frozen)
        {
            // Frozen while this was hashed: nothing may be written, so nothing is decided.
            Reply(new AuthResult.Unavailable(UnavailableReason.Unreadable));
            Finish();
            return;
        }
        // Decided at the time of the decision: an entry that expired while it was being hashed is not revived.
        if (_expiry.IsExpired(entry, now))
        {
            RemoveExpired();
            return;
        }
        if (check.Matches)
        {
            var updated = LockoutPolicy.RecordSuccess(entry, now) with { ExpiresAt = _expiry.SlideOnOfflineSuccess(entry, now) };
            _services.Store.Write(updated); // persisted before replying; a failure answers Error (PreRestart)
            var age = TimeSpan.FromSeconds(Math.Max(0, now.ToUnixTimeSeconds() - entry.CreatedAt));
            _log.Info("offline auth success for user '{0}' (cached {1} ago)", user, CacheLog.Age(age));
            Reply(new AuthResult.Success(AuthPath.Offline, new UserAttributes(entry.Gecos, entry.Shell, entry.Home), age));
        }
        else
        {
            var updated = _lockout.RecordFailure(entry, now);
            _services.Store.Write(updated);
            _log.Warning("offline auth failed for user '{0}' (password mismatch, attempt {1}/{2})", user, updated.FailedAttempts, _lockout.MaxAttempts);
            if (LockoutPolicy.IsLocked(updated, now))
            {
                _knownLocked = KnownLocked(updated);
                _log.Warning("offline auth locked for user '{0}' (locked for {1}s)", user, LockoutPolicy.SecondsLeft(updated, now));
            }
            Reply(new AuthResult.WrongPassword(AuthPath.Offline));
        }
        Finish();
    }
}
