using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// Issue 10: an empty password is refused locally and at once: never sent to the portal (LLNG 2.16
/// answers it 400 invalid_request), never hashed, never counted toward the lockout, never cached.
/// This replaces the earlier rule ("a wrong password like any other, counted, at the cost of a hash"):
/// timing does not matter here, since whoever sent an empty password knows it.
/// </summary>
public sealed class EmptyPasswordSpecs : ObActorsSpec
{
    [Fact]
    public void Online_an_empty_password_is_refused_without_asking_the_portal()
    {
        Start();
        AwaitProbesSettled(1);
        Cache("alice", "right");
        Portal.Knows("alice", "right");
        for (var i = 0; i < 10; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("alice", ""));
        Assert.Equal(0, Portal.Calls);
        Assert.Equal(0, Hasher.Calls);
        Assert.Equal(0, Store.Get("alice")!.FailedAttempts);
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")).Path);
    }

    [Fact]
    public void Offline_an_empty_password_is_refused_without_hashing_and_never_counted()
    {
        StartOffline();
        Cache("alice", "right");
        for (var i = 0; i < 10; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", ""));
        Assert.Equal(0, Hasher.Calls);
        Assert.Equal(0, Store.Get("alice")!.FailedAttempts);
        Assert.Equal(0, Store.Writes);
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")); // not locked, not restarted
    }

    [Fact]
    public void An_empty_password_for_an_uncached_user_is_refused_the_same_way()
    {
        StartOffline();
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("nobody-cached", ""));
        Assert.Equal(0, Hasher.Calls);
    }

    [Fact]
    public void An_empty_password_the_portal_would_accept_is_never_sent_nor_cached()
    {
        Start();
        AwaitProbesSettled(1);
        Portal.Knows("odd", "");
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("odd", ""));
        Assert.Equal(0, Portal.Calls);
        Assert.Equal(0, Hasher.Calls);
        Assert.Null(Store.Get("odd"));
    }

    [Fact]
    public void An_empty_password_does_not_wait_behind_the_users_request_in_progress()
    {
        StartOffline();
        Cache("alice", "right");
        Hasher.Hold();
        Send(Login("alice", "right"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", ""));
        Hasher.Release();
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
    }
}
