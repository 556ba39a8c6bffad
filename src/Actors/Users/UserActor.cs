using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

/// <summary>
/// One user's entity (DESIGN §3.1), named by the cache file key. Serves one request at a time:
/// while one is in progress the next ones wait in a bounded stash (over the bound: Busy). Between
/// requests it serves admin and janitor commands, so none of them races an authentication. Idle
/// for the passivation timeout, it asks its parent to stop it.
/// </summary>
internal sealed partial class UserActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private const string OnlineTimerKey = "online-timeout";
    private const string SuspectTimerKey = "online-suspect";
    private static long s_nextRequestId;

    private readonly string _key;
    private readonly ActorServices _services;
    private readonly HashingGate _gate;
    private readonly ObActorsOptions _options;
    private readonly OfflineLogin _offline;
    private readonly ExpiryPolicy _expiry;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>
    /// This user's entry as last seen locked (verifier stripped): while it is still locked and unexpired,
    /// an offline attempt is refused without reading the file (DESIGN §3.3: no hashing, not counted).
    /// Only ever a reason to refuse, never to accept; dropped by every other path that reads or changes the
    /// entry (online answers, admin and janitor commands, a verification).
    /// </summary>
    private CredentialEntry? _knownLocked;

    private ConnectivityState _connectivity;
    private int _stashedRequests;
    private Request? _current;

    public UserActor(string key, ActorServices services, HashingGate gate, ObActorsOptions options, ConnectivityChanged initial)
    {
        _key = key;
        _services = services;
        _gate = gate;
        _options = options;
        _offline = OfflineLogin.From(services.Settings);
        _expiry = _offline.Expiry;
        _connectivity = initial.State;
        Idle();
    }

    public static Props Props(string key, ActorServices services, HashingGate gate, ObActorsOptions options, ConnectivityChanged initial) =>
        Akka.Actor.Props.Create(() => new UserActor(key, services, gate, options, initial));

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    private DateTimeOffset Now => _services.TimeProvider.GetUtcNow();

    private void Idle()
    {
        Context.SetReceiveTimeout(_options.PassivationTimeout);
        Receive<Authenticate>(Begin);
        Receive<IUserAdminMessage>(m =>
        {
            _knownLocked = null;
            HandleAdmin(m);
        });
        Receive<KeyCommand>(c =>
        {
            _knownLocked = null;
            HandleKeyCommand(c);
        });
        Receive<ConnectivityChanged>(OnConnectivity);
        Receive<StopEntity>(_ => Context.Stop(Self));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(Passivate.Instance));
        Receive<IRequestStep>(_ => { }); // a late answer for a request already finished
    }

    private void Busy()
    {
        Context.SetReceiveTimeout(null);
        Receive<Authenticate>(m =>
        {
            if (RefusedEmpty(m)) return;
            if (_stashedRequests >= _options.StashBound)
            {
                Sender.Tell(AuthResult.Busy.Instance);
                return;
            }
            _stashedRequests++;
            Stash.Stash();
        });
        Receive<ConnectivityChanged>(OnConnectivity);
        // Only the first of answer / timeout settles the online phase; the other one is late and ignored.
        Receive<OnlineDone>(m => m.Id == _current!.Id && _current.OnlinePending, OnOnlineDone);
        Receive<OnlineTimedOut>(m => m.Id == _current!.Id && _current.OnlinePending, _ => OnOnlineUnavailable("timeout"));
        Receive<OnlineSuspected>(m => m.Id == _current!.Id && _current.OnlinePending, _ => OnOnlineSuspected());
        Receive<Verified>(m => m.Id == _current!.Id, OnVerified);
        Receive<Refreshed>(m => m.Id == _current!.Id, OnRefreshed);
        Receive<Reconfirmed>(m => m.Id == _current!.Id, OnReconfirmed);
        Receive<StaleChecked>(m => m.Id == _current!.Id, OnStaleChecked);
        Receive<HashFailed>(m => m.Id == _current!.Id, m => throw new CryptographicException("Argon2id computation failed", m.Cause));
        Receive<IRequestStep>(_ => { });
        Receive<ReceiveTimeout>(_ => { });
        ReceiveAny(_ => Stash.Stash()); // admin, janitor and stop commands wait for the request to finish
    }

    private void Begin(Authenticate request)
    {
        if (RefusedEmpty(request)) return;
        if (Now >= request.Deadline)
        {
            Sender.Tell(new AuthResult.Unavailable(UnavailableReason.TimedOut));
            return;
        }
        byte[] password;
        try
        {
            password = request.Password.Utf8.ToArray();
        }
        catch (ObjectDisposedException)
        {
            // The caller gave up and disposed the secret while the request waited.
            Sender.Tell(new AuthResult.Unavailable(UnavailableReason.TimedOut));
            return;
        }
        _current = new Request(Interlocked.Increment(ref s_nextRequestId), request, Sender, password);
        Become(Busy);
        // While LLNG is believed (or forced) offline, no network wait at all; except for a request that
        // cannot be answered from the cache (no_offline_cache, offline mode disabled): it always tries LLNG.
        if (_connectivity == ConnectivityState.Offline && CanUseCache(request)) Offline();
        else
        {
            _knownLocked = null; // an online answer may rewrite or remove the entry
            StartOnline();
        }
    }

    /// <summary>
    /// Issue 10: an empty password is refused here, at once: never sent to LLNG (which answers it
    /// invalid_request), never hashed, never counted toward the lockout, never cached. Its timing tells
    /// nothing: the caller knows it sent an empty password. True when it was refused.
    /// </summary>
    private bool RefusedEmpty(Authenticate request)
    {
        if (request.Password.Length != 0) return false;
        _log.Info("empty password refused for user '{0}' (not sent, not counted)", request.User);
        Sender.Tell(new AuthResult.WrongPassword(_connectivity == ConnectivityState.Offline ? AuthPath.Offline : AuthPath.Online));
        return true;
    }

    /// <summary>Whether this request may be answered from the cache at all.</summary>
    private bool CanUseCache(Authenticate request) => request.AllowOffline && _services.Settings.OfflineEnabled;

    /// <summary>The request is fully done (reply sent, entry persisted): serve the next one.</summary>
    private void Finish()
    {
        Timers.Cancel(OnlineTimerKey);
        Timers.Cancel(SuspectTimerKey);
        _current?.Dispose();
        _current = null;
        _stashedRequests = 0;
        Become(Idle);
        Stash.UnstashAll();
    }

    /// <summary>Answers the request and finishes it (nothing left to persist).</summary>
    private void Conclude(AuthResult result)
    {
        Reply(result);
        Finish();
    }

    private void Reply(AuthResult result)
    {
        var request = _current!;
        if (request.Replied) return;
        request.Replied = true;
        request.ReplyTo.Tell(result);
    }

    private void OnConnectivity(ConnectivityChanged changed)
    {
        _connectivity = changed.State;
        // The monitor's probe failed (or an operator forced offline): an online call still pending is
        // abandoned at once and the request continues offline. A request that cannot use the cache keeps
        // waiting for LLNG until its own timeout.
        if (changed.State == ConnectivityState.Offline && _current is { OnlinePending: true } request && CanUseCache(request.Message))
        {
            OnOnlineUnavailable(changed.ForcedBy is null ? "LLNG marked offline by a failed probe" : "LLNG forced offline", report: false);
        }
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // A store or crypto fault: the request in flight is answered Error, never left silent.
        if (_current is { Replied: false } request)
        {
            request.Replied = true;
            request.ReplyTo.Tell(new AuthResult.Error(reason is CryptographicException ? "hashing failure" : "credential store failure"));
        }
        _log.Error("user entity {0} failed ({1}); restarting", _key, reason.GetType().Name);
        _current?.Dispose();
        _current = null;
        base.PreRestart(reason, message);
    }

    protected override void PostStop()
    {
        _current?.Dispose();
        base.PostStop();
    }

    /// <summary>The request in progress and the actor's own copy of its password (zeroed when done).</summary>
    private sealed class Request(long id, Authenticate message, IActorRef replyTo, byte[] password) : IDisposable
    {
        public long Id { get; } = id;
        public Authenticate Message { get; } = message;
        public string User => Message.User;
        public IActorRef ReplyTo { get; } = replyTo;
        public byte[] Password { get; } = password;
        public bool Replied { get; set; }
        /// <summary>An online call is out and neither its answer nor its timeout has been handled.</summary>
        public bool OnlinePending { get; set; }
        /// <summary>When the wait for the online call ends (its timer fires).</summary>
        public DateTimeOffset OnlineCutAt { get; set; }
        public CancellationTokenSource? Online { get; set; }
        public Secret? OnlineSecret { get; set; }

        public void Dispose()
        {
            Online?.Cancel();
            Online?.Dispose();
            OnlineSecret?.Dispose();
            CryptographicOperations.ZeroMemory(Password);
        }
    }

    // ---- internal steps (piped results and timers); every one names the request it belongs to ----
    private interface IRequestStep : INotInfluenceReceiveTimeout
    {
        long Id { get; }
    }

    private sealed record OnlineDone(long Id, OnlineOutcome Outcome) : IRequestStep;
    private sealed record OnlineTimedOut(long Id) : IRequestStep;
    private sealed record OnlineSuspected(long Id) : IRequestStep;
    /// <summary>The password checked against <paramref name="Entry"/>'s verifier, or the dummy when it is null.</summary>
    private sealed record Verified(long Id, HashOutcome Outcome, CredentialEntry? Entry) : IRequestStep;
    private sealed record Refreshed(long Id, HashOutcome Outcome, byte[] Salt, UserAttributes Attributes) : IRequestStep
    {
        public override string ToString() => $"Refreshed({Id})";
    }
    private sealed record StaleChecked(long Id, HashOutcome Outcome, CredentialEntry Entry) : IRequestStep;
    private sealed record Reconfirmed(long Id, HashOutcome Outcome, CredentialEntry Entry, UserAttributes Attributes) : IRequestStep
    {
        public override string ToString() => $"Reconfirmed({Id})";
    }
    private sealed record HashFailed(long Id, Exception Cause) : IRequestStep;
}
