using OpenBastion.Engine;
using OpenBastion.Engine.Online;

namespace OpenBastion.Host.Tests;

/// <summary>LLNG as a test double: up (accepts its one user's password, rejects others) or down.</summary>
internal sealed class ScriptedPortal(string user, string password) : IOnlineAuthenticator
{
    private volatile bool _up = true;

    public bool Up
    {
        get => _up;
        set => _up = value;
    }

    public int Calls;

    public Task<OnlineOutcome> AuthenticateAsync(string login, Secret secret, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Calls);
        if (!_up) return Task.FromResult<OnlineOutcome>(new OnlineOutcome.Unavailable("connection refused"));
        return Task.FromResult<OnlineOutcome>(login == user && secret.Reveal() == password
            ? new OnlineOutcome.Accepted(new UserAttributes("Doctor Who", "/bin/bash", "/home/" + login))
            : new OnlineOutcome.Rejected("invalid_grant"));
    }

    public Task<bool> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(_up);
}
