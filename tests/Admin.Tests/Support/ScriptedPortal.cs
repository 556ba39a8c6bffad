using OpenBastion.Engine;
using OpenBastion.Engine.Online;

namespace OpenBastion.Admin.Tests.Support;

/// <summary>A scripted LLNG: up (accepts known passwords), refusing connections, or slow until released.</summary>
internal sealed class ScriptedPortal : IOnlineAuthenticator
{
    private readonly Dictionary<string, string> _passwords = new();
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public enum Behaviour { Up, Refuse, Slow }

    public volatile Behaviour Mode = Behaviour.Refuse;

    /// <summary>Completed when an authentication call has started (Slow mode: it is waiting on the gate).</summary>
    public TaskCompletionSource<string> CallStarted { get; private set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ScriptedPortal Knows(string user, string password)
    {
        lock (_passwords) _passwords[user] = password;
        return this;
    }

    /// <summary>Lets the slow calls answer.</summary>
    public void Release() => _gate.TrySetResult();

    public async Task<OnlineOutcome> AuthenticateAsync(string user, Secret password, CancellationToken cancellationToken)
    {
        CallStarted.TrySetResult(user);
        if (Mode == Behaviour.Refuse) return new OnlineOutcome.Unavailable("connection refused");
        if (Mode == Behaviour.Slow)
        {
            try { await _gate.Task.WaitAsync(cancellationToken); }
            catch (OperationCanceledException) { return new OnlineOutcome.Unavailable("timeout"); }
        }
        string? known;
        lock (_passwords) known = _passwords.GetValueOrDefault(user);
        return known is not null && known == password.Reveal()
            ? new OnlineOutcome.Accepted(new UserAttributes("Test User", "/bin/bash", $"/home/{user}"))
            : new OnlineOutcome.Rejected("invalid_grant");
    }

    public Task<bool> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(Mode != Behaviour.Refuse);
}
