using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Policy;

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
        var cut = _options.OnlineCutFor(_services.Settings.OfflineTimeout);
        request.OnlineCutAt = Now + cut;
        Timers.StartSingleTimer(OnlineTimerKey, new OnlineTimedOut(id), cut);
        Timers.StartSingleTimer(SuspectTimerKey, new OnlineSuspected(id), _options.ConfirmAfterFor(_services.Settings.OfflineTimeout));
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

    /// <summary>
    /// The call is still unanswered after confirm-after: ask the monitor for a confirming probe whose
    /// budget is the rest of this request's wait, so that its verdict is in by the time this request
    /// gives up (if it fails, the Offline broadcast ends this wait, and every other one, at once).
    /// </summary>
    private void OnOnlineSuspected() => Context.Parent.Tell(new OnlineCallSlow(_current!.OnlineCutAt - Now));

    private void OnOnlineDone(OnlineDone done)
    {
        _current!.OnlinePending = false;
        Timers.Cancel(OnlineTimerKey);
        Timers.Cancel(SuspectTimerKey);
        switch (done.Outcome)
        {
            case OnlineOutcome.Accepted accepted: OnAccepted(accepted.Attributes); break;
            case OnlineOutcome.Rejected rejected: OnRejected(rejected); break;
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
        // Off the reply's critical path, but before this user's next request: the verifier, reconfirmed when the
        // cached one has the current parameters (one verification), else computed afresh (OnlineSuccess).
        var id = request.Id;
        if (_services.Store.Read(request.User) is ReadOutcome.Found { Entry: var cached }
            && OnlineSuccess.MayReconfirm(cached, _services.Settings.Argon2))
        {
            _gate.VerifyAsync(request.Password, cached.Salt, cached.PasswordHash, cached.EffectiveParameters, DateTimeOffset.MaxValue)
                .PipeTo(Self, success: o => new Reconfirmed(id, o, cached, attributes), failure: ex => new HashFailed(id, ex));
            return;
        }
        Rehash(attributes);
    }

    /// <summary>A fresh verifier (new salt, current parameters) for the accepted password.</summary>
    private void Rehash(UserAttributes attributes)
    {
        var salt = PasswordVerifier.NewSalt();
        var id = _current!.Id;
        _gate.HashAsync(_current.Password, salt, _services.Settings.Argon2, DateTimeOffset.MaxValue)
            .PipeTo(Self, success: o => new Refreshed(id, o, salt, attributes), failure: ex => new HashFailed(id, ex));
    }

    private void OnReconfirmed(Reconfirmed reconfirmed)
    {
        switch (reconfirmed.Outcome)
        {
            case HashOutcome.Checked { Matches: true }:
                var entry = reconfirmed.Entry;
                _services.Store.Write(OnlineSuccess.Record(_current!.User, entry.PasswordHash, entry.Salt, entry.EffectiveParameters,
                    reconfirmed.Attributes, Now, _expiry));
                _log.Debug("offline verifier reconfirmed for user '{0}'", _current.User);
                Finish();
                return;
            case HashOutcome.Checked:
                Rehash(reconfirmed.Attributes); // the password changed upstream: the old verifier goes
                return;
            default:
                NotRefreshed(reconfirmed.Outcome);
                return;
        }
    }

    /// <summary>The gate did not take the job (queue full, or shutting down): the login stands, the cache is left as it was.</summary>
    private void NotRefreshed(HashOutcome outcome)
    {
        if (outcome is HashOutcome.Overloaded)
            _log.Warning("offline verifier for user '{0}' not refreshed: the hashing queue is full", _current!.User);
        Finish();
    }

    private void OnRefreshed(Refreshed refreshed)
    {
        if (refreshed.Outcome is not HashOutcome.Computed computed)
        {
            NotRefreshed(refreshed.Outcome);
            return;
        }
        if (!computed.CanMatch)
        {
            // The portal accepted an empty password: nothing is cached for it (it could never verify).
            _log.Warning("portal accepted an empty password for user '{0}'; not cached", _current!.User);
            Finish();
            return;
        }
        _services.Store.Write(OnlineSuccess.Record(_current!.User, computed.Hash, refreshed.Salt, _services.Settings.Argon2,
            refreshed.Attributes, Now, _expiry));
        _log.Debug("offline verifier refreshed for user '{0}'", _current.User);
        Finish();
    }

    /// <summary>
    /// The portal judged the request and said no: never fall back to the cache, never an outage, nothing
    /// counted (online, LLNG applies its own policy). Only <c>invalid_grant</c> judged the password.
    /// </summary>
    private void OnRejected(OnlineOutcome.Rejected rejected)
    {
        var request = _current!;
        Context.Parent.Tell(LlngAnswered.Instance);
        Reply(new AuthResult.WrongPassword(AuthPath.Online));
        if (!rejected.JudgedPassword)
        {
            if (rejected.ClientRefused)
                _log.Error("portal refused our client credentials ({0}): every online login fails until client_id / client_secret are fixed", rejected.Reason);
            else
                _log.Info("online auth refused by the portal for user '{0}' ({1})", request.User, rejected.Reason);
            Finish();
            return;
        }
        _log.Info("online auth rejected for user '{0}'", request.User);
        // If the cache still holds this very password, it is stale upstream: drop it (never while frozen).
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

    /// <summary>
    /// This request falls back offline, for itself only. Its failure goes to the monitor (unless the
    /// monitor's own verdict ended the wait), which confirms with a probe before anything changes for
    /// anyone else (src/Actors/README.md).
    /// </summary>
    private void OnOnlineUnavailable(string reason, bool report = true)
    {
        var request = _current!;
        request.OnlinePending = false;
        Timers.Cancel(OnlineTimerKey);
        Timers.Cancel(SuspectTimerKey);
        request.Online?.Cancel();
        if (report) Context.Parent.Tell(new TransportFailure(reason));
        _log.Warning("LLNG unreachable, switching to offline mode for user '{0}' ({1})", request.User, reason);
        Offline();
    }
}
