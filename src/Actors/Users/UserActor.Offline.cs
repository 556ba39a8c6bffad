using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

// DESIGN §3.1 step 5–6, §3.2, §3.3: offline verification against the cached entry. The decision is
// Engine's OfflineLogin; this phase reads, hashes and applies, top-down:
// Offline → (read) → BeforeHashing → (hash) → OnVerified → AfterHashing → Apply.
internal sealed partial class UserActor
{
    private void Offline()
    {
        var request = _current!;
        if (!CanUseCache(request.Message))
        {
            Conclude(new AuthResult.Unavailable(UnavailableReason.OfflineDisabled));
            return;
        }
        var now = Now;
        // A lock this actor has seen refuses without reading the file, while it holds and the entry is unexpired.
        if (_knownLocked is { } known && _offline.BeforeHashing(known, now) is { Reply: OfflineReply.Locked } refusal)
        {
            Apply(refusal);
            return;
        }
        _knownLocked = null;
        if (!TryRead(out var entry)) return;
        if (_offline.BeforeHashing(entry, now) is { } decided)
        {
            Apply(decided);
            return;
        }
        // Hash: the entry's verifier, or with no entry a dummy of the same cost, so that "not cached" is not
        // told apart from a wrong password by timing.
        var id = request.Id;
        var deadline = request.Message.Deadline;
        var hashing = entry is null
            ? _gate.DummyVerifyAsync(request.Password, _services.Settings.Argon2, deadline)
            : _gate.VerifyAsync(request.Password, entry.Salt, entry.PasswordHash, entry.EffectiveParameters, deadline);
        hashing.PipeTo(Self, success: o => new Verified(id, o, entry), failure: ex => new HashFailed(id, ex));
    }

    /// <summary>Decided at the time of the decision (an entry that expired while it was hashed is not revived).</summary>
    private void OnVerified(Verified verified) => Apply(_offline.AfterHashing(verified.Entry, verified.Outcome, Now));

    /// <summary>
    /// Reads the user's entry: true with the entry, or with null when there is none. False when the request was
    /// answered here: cache frozen (nothing read), I/O error (left in place), or unreadable (quarantined, unless
    /// the guard froze the cache on it).
    /// </summary>
    private bool TryRead(out CredentialEntry? entry)
    {
        entry = null;
        var user = _current!.User;
        if (_services.Guard.Frozen)
        {
            // Key material changed: no entry is read, quarantined or written until the key is restored (or rekeyed).
            _log.Error("offline auth unavailable for user '{0}': offline cache frozen ({1})", user, _services.Guard.Reason);
            Conclude(new AuthResult.Unavailable(UnavailableReason.Unreadable));
            return false;
        }
        var read = _services.Store.Read(user);
        if (read is ReadOutcome.Found) _services.Guard.RecordReadable(_key);
        switch (read)
        {
            case ReadOutcome.Found found:
                entry = found.Entry;
                return true;
            case ReadOutcome.NotFound:
                return true;
            case ReadOutcome.Unreadable { Failure: ReadFailure.IoError } io:
                // A transient error (EIO, EACCES, EMFILE…) is not corruption: never quarantined.
                _log.Error("offline cache entry for user '{0}' could not be read ({1}); left in place", user, io.Detail);
                Conclude(new AuthResult.Error("credential store failure"));
                return false;
            case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed }
                when !_services.Guard.RecordAuthenticationFailure(_key):
                _log.Error("offline cache entry for user '{0}' does not decrypt; the cache is frozen ({1}); not quarantined",
                    user, _services.Guard.Reason);
                Conclude(new AuthResult.Unavailable(UnavailableReason.Unreadable));
                return false;
            case ReadOutcome.Unreadable unreadable:
                var moved = _services.Store.Quarantine(_key);
                _log.Warning("offline cache entry for user '{0}' unreadable ({1}), quarantined to {2}", user, unreadable.Failure, moved);
                Conclude(new AuthResult.Unavailable(UnavailableReason.Unreadable));
                return false;
            default:
                throw new InvalidOperationException($"unknown read outcome {read.GetType().Name}");
        }
    }

    /// <summary>
    /// Carries out a decision: the store change first (persisted before replying; a failure answers Error from
    /// PreRestart), then the remembered lock, the log line and the reply. While the cache is frozen no entry is
    /// written or deleted, so nothing is decided.
    /// </summary>
    private void Apply(OfflineDecision decision)
    {
        var user = _current!.User;
        switch (decision.Change)
        {
            case EntryChange.Write or EntryChange.Delete when _services.Guard.Frozen:
                Conclude(new AuthResult.Unavailable(UnavailableReason.Unreadable));
                return;
            case EntryChange.Write write:
                _services.Store.Write(write.Entry);
                break;
            case EntryChange.Delete:
                _services.Store.Delete(user);
                break;
            case EntryChange.Pad:
                _services.Store.WritePad();
                break;
        }
        _knownLocked = decision.KnownLock;
        if (decision.Event is { } logged) CacheLog.Offline(_log, user, logged);
        Conclude(decision.Reply switch
        {
            OfflineReply.Success s => new AuthResult.Success(AuthPath.Offline, s.Attributes, s.CachedFor),
            OfflineReply.WrongPassword => new AuthResult.WrongPassword(AuthPath.Offline),
            OfflineReply.Locked l => new AuthResult.Locked(l.SecondsLeft),
            OfflineReply.Expired => new AuthResult.Unavailable(UnavailableReason.Expired),
            OfflineReply.NotCached => new AuthResult.Unavailable(UnavailableReason.NotCached),
            OfflineReply.Busy => AuthResult.Busy.Instance,
            OfflineReply.TimedOut => new AuthResult.Unavailable(UnavailableReason.TimedOut),
            var other => throw new InvalidOperationException($"unknown offline reply {other.GetType().Name}"),
        });
    }
}
