using OpenBastion.Engine;
using OpenBastion.Engine.Online;

namespace OpenBastion.TestSupport;

/// <summary>How the scripted portal behaves for the next calls and probes.</summary>
public enum PortalMode
{
    /// <summary>Accepts the right password, rejects others (invalid_grant); probes succeed.</summary>
    Up,
    /// <summary>Connection refused: Unavailable at once; probes fail at once.</summary>
    Refuse,
    /// <summary>Accepts connections, never answers: completes only when cancelled (the client's timeout).</summary>
    Blackhole,
    /// <summary>Answers like <see cref="Up"/> once the test opens the gate (<see cref="ScriptedPortal.Answer"/>).</summary>
    Slow,
    /// <summary>HTTP 503 for every request and probe.</summary>
    ServerError,
    /// <summary>Alternates Up and Refuse on every call and probe.</summary>
    Flap,
}

/// <summary>
/// The one scriptable LLNG of the tests (<see cref="IOnlineAuthenticator"/>): refuse, blackhole, be slow,
/// flap, answer 5xx, reject or accept the passwords it <see cref="Knows"/>.
/// </summary>
public sealed class ScriptedPortal : IOnlineAuthenticator
{
    private readonly Dictionary<string, string> _passwords = new();
    private readonly Dictionary<string, CancellationToken> _lastCall = new();
    private TaskCompletionSource _slow = NewGate();
    private int _calls;
    private int _probes;
    private int _flap;
    private int _failNext;

    public volatile PortalMode Mode = PortalMode.Up;
    /// <summary>The attributes of an accepted user; by default "Test User", /bin/bash, /home/&lt;user&gt;.</summary>
    public Func<string, UserAttributes> AttributesFor { get; set; } = user => new("Test User", "/bin/bash", "/home/" + user);
    /// <summary>When set, probes behave as this mode instead of <see cref="Mode"/> (e.g. calls hang, probes fail).</summary>
    public PortalMode? ProbeMode { get; set; }
    /// <summary>When set and it returns an outcome for (user, password), that is the answer (after <see cref="Mode"/>'s wait).</summary>
    public Func<string, string, OnlineOutcome?>? Script { get; set; }
    /// <summary>Called at the start of each authentication (before answering), e.g. to observe the store.</summary>
    public Action<string>? OnCall { get; set; }

    /// <summary>Completed with the user's name when an authentication call has started (in Slow mode: it waits for <see cref="Answer"/>).</summary>
    public TaskCompletionSource<string> CallStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Calls => Volatile.Read(ref _calls);
    public int Probes => Volatile.Read(ref _probes);

    public ScriptedPortal Knows(string user, string password)
    {
        lock (_passwords) _passwords[user] = password;
        return this;
    }

    /// <summary>
    /// Whether the caller has cancelled <paramref name="user"/>'s latest call (recorded when the call starts, on
    /// the caller's thread, so a caller that cut its wait synchronously is seen at once).
    /// </summary>
    public bool CallCancelled(string user)
    {
        lock (_lastCall) return _lastCall.TryGetValue(user, out var token) ? token.IsCancellationRequested : throw new InvalidOperationException($"no call for {user}");
    }

    /// <summary>The next <paramref name="count"/> authentications are refused (connection refused); probes are not affected.</summary>
    public void FailNextCalls(int count) => Interlocked.Exchange(ref _failNext, count);

    /// <summary>Let the slow calls and probes that have started answer (later ones wait for the next call).</summary>
    public void Answer()
    {
        var gate = Interlocked.Exchange(ref _slow, NewGate());
        gate.SetResult();
    }

    public async Task<OnlineOutcome> AuthenticateAsync(string user, Secret password, CancellationToken cancellationToken)
    {
        var slow = Volatile.Read(ref _slow); // taken before the call is seen to start, so an Answer() after CallStarted releases it
        lock (_lastCall) _lastCall[user] = cancellationToken;
        Interlocked.Increment(ref _calls);
        OnCall?.Invoke(user);
        CallStarted.TrySetResult(user);
        var given = password.Reveal();
        if (Interlocked.Decrement(ref _failNext) >= 0) return new OnlineOutcome.Unavailable("connection refused");
        switch (Effective())
        {
            case PortalMode.Refuse: return new OnlineOutcome.Unavailable("connection refused");
            case PortalMode.ServerError: return new OnlineOutcome.Unavailable("HTTP 503");
            case PortalMode.Blackhole:
                try { await Task.Delay(Timeout.Infinite, cancellationToken); }
                catch (OperationCanceledException) { }
                return new OnlineOutcome.Unavailable("timeout");
            case PortalMode.Slow:
                try { await slow.Task.WaitAsync(cancellationToken); }
                catch (OperationCanceledException) { return new OnlineOutcome.Unavailable("timeout"); }
                break;
        }
        if (Script?.Invoke(user, given) is { } scripted) return scripted;
        string? known;
        lock (_passwords) known = _passwords.GetValueOrDefault(user);
        return known is not null && known == given
            ? new OnlineOutcome.Accepted(AttributesFor(user))
            : new OnlineOutcome.Rejected("invalid_grant");
    }

    public async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        var slow = Volatile.Read(ref _slow);
        Interlocked.Increment(ref _probes);
        switch (ProbeMode ?? Effective())
        {
            case PortalMode.Up: return true;
            case PortalMode.Blackhole:
                try { await Task.Delay(Timeout.Infinite, cancellationToken); }
                catch (OperationCanceledException) { }
                return false;
            case PortalMode.Slow:
                try { await slow.Task.WaitAsync(cancellationToken); }
                catch (OperationCanceledException) { return false; }
                return true;
            default: return false;
        }
    }

    private PortalMode Effective() =>
        Mode == PortalMode.Flap ? (Interlocked.Increment(ref _flap) % 2 == 1 ? PortalMode.Up : PortalMode.Refuse) : Mode;

    private static TaskCompletionSource NewGate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
