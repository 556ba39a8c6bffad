using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Hashing;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;

namespace OpenBastion.Actors.Users;

// DESIGN §3.1 step 4: online first, bounded by offline_timeout on the scheduler's clock.
internal sealed partial class UserActor
{
    private void StartOnline()
    {
        var request = _current!;
        var id = request.Id;
        request.Online = new CancellationTokenSource();
        request.OnlinePending = true;
        request.OnlineSecret = new Secret(request.Password);
        Timers.StartSingleTimer(OnlineTimerKey, new OnlineTimedOut(id), _options.OnlineCutFor(_services.Settings.OfflineTimeout));
        Task<OnlineOutcome> call;
        try
        {
            call = _services.Online.AuthenticateAsync(request.User, request.OnlineSecret, request.Online.Token);
        }
        catch (Exception ex)
        {
            call = Task.FromResult<OnlineOutcome>(new OnlineOutcome.Unavailable(ex.GetType().Name));
        }
        call.PipeTo(Self,
            success: outcome => new OnlineDone(id, outcome),
            failure: ex => new OnlineDone(id, new OnlineOutcome.Unavailable(ex.GetType().Name)));
    }

    private void OnOnlineDone(OnlineDone done)
    {
        _current!.OnlinePending = false;
        Timers.Cancel(OnlineTimerKey);
        switch (done.Outcome)
        {
            case OnlineOutcome.Accepted accepted: OnAccepted(accepted.Attributes); break;
            case OnlineOutcome.Rejected: OnRejected(); break;
            case OnlineOutcome.Unavailable unavailable: OnOnlineUnavailable(unavailable.Reason); break;
        }
    }

    private void OnAccepted(UserAttributes attributes)
    {
        var request = _current!;
        Context.Parent.Tell(LlngAnswered.Instance);
        Reply(new AuthResult.Success(AuthPath.Online, attributes, null));
        if (!_services.Settings.OfflineEnabled || _services.Guard.Frozen)
        {
            Finish(); // frozen (key material changed): nothing is written until the key is restored or rekeyed
            return;
        }
        // Off the reply's critical path, but before this user's next request: a fresh verifier.
        var salt = PasswordVerifier.NewSalt();
        var id = request.Id;
        _gate.HashAsync(request.Password, salt, _services.Settings.Argon2, DateTimeOffset.MaxValue)
            .PipeTo(Self, success: o => new Refreshed(id, o, salt, attributes), failure: ex => new HashFailed(id, ex));
    }

    private void OnRefreshed(Refreshed refreshed)
    {
        if (refreshed.Outcome is not HashOutcome.Computed computed)
        {
            Finish(); // the gate is shutting down
            return;
        }
        if (!computed.CanMatch)
        {
            // The portal accepted an empty password: nothing is cached for it (it could never verify).
            _log.Warning("portal accepted an empty password for user '{0}'; not cached", _current!.User);
            Finish();
            return;
        }
        var now = Now;
        var (createdAt, expiresAt) = _expiry.OnOnlineSuccess(now);
        var attributes = refreshed.Attributes;
        _services.Store.Write(new CredentialEntry
        {
            User = _current!.User,
            CreatedAt = createdAt,
            ExpiresAt = expiresAt,
            LastSuccess = createdAt,
            FailedAttempts = 0,
            LockedUntil = 0,
            PasswordHash = computed.Hash,
            Salt = refreshed.Salt,
            Gecos = attributes.Gecos,
            Shell = attributes.Shell,
            Home = attributes.Home,
            Parameters = _services.Settings.Argon2,
        });
        _log.Debug("offline verifier refreshed for user '{0}'", _current.User);
        Finish();
    }

    private void OnRejected()
    {
        var request = _current!;
        Context.Parent.Tell(LlngAnswered.Instance);
        Reply(new AuthResult.WrongPassword(AuthPath.Online));
        _log.Info("online auth rejected for user '{0}'", request.User);
        // Never fall back. If the cache still holds this very password, it is stale upstream: drop it.
        if (_services.Guard.Frozen || _services.Store.Read(request.User) is not ReadOutcome.Found found)
        {
            Finish();
            return;
        }
        var id = request.Id;
        var entry = found.Entry;
        _gate.VerifyAsync(request.Password, entry.Salt, entry.PasswordHash, entry.EffectiveParameters, DateTimeOffset.MaxValue)
            .PipeTo(Self, success: o => new StaleChecked(id, o, entry), failure: ex => new HashFailed(id, ex));
    }

    private void OnStaleChecked(StaleChecked checkedEntry)
    {
        if (checkedEntry.Outcome is HashOutcome.Checked { Matches: true })
        {
            _services.Store.Delete(_current!.User);
            _log.Warning("cached password for user '{0}' is stale (rejected online), entry removed", _current.User);
        }
        Finish();
    }

    private void OnOnlineUnavailable(string reason)
    {
        var request = _current!;
        request.OnlinePending = false;
        Timers.Cancel(OnlineTimerKey);
        request.Online?.Cancel();
        Context.Parent.Tell(new TransportFailure(reason));
        if (_forcedBy is null && _connectivity != ConnectivityState.Offline)
        {
            _log.Warning("LLNG unreachable, switching to offline mode for user '{0}' ({1})", request.User, reason);
            _connectivity = ConnectivityState.Offline;
        }
        Offline();
    }
}
