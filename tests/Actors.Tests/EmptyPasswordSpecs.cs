using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// An empty password (a user pressing Enter at the prompt) is a wrong password like any other: it is
/// hashed at the same cost (the hasher never sees an empty input, which Argon2 libraries refuse), it
/// never matches, it counts toward the lockout, and it is never an engine error.
/// </summary>
public sealed class EmptyPasswordSpecs : ObActorsSpec
{
    [Fact]
    public void An_empty_password_offline_is_a_counted_wrong_password_at_the_cost_of_one_hash()
    {
        StartOffline();
        Cache("alice", "right");
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", ""));
        Assert.Equal(1, Hasher.Calls);
        Assert.Equal(1, Store.Get("alice")!.FailedAttempts);
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")); // the entity was not restarted by an error
    }

    [Fact]
    public void An_empty_password_for_an_uncached_user_is_not_cached_after_an_equal_hash()
    {
        StartOffline();
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("nobody-cached", ""));
        Assert.Equal(1, Hasher.Calls);
    }

    [Fact]
    public void An_empty_password_the_portal_accepts_is_answered_but_never_cached()
    {
        Start();
        Portal.Knows("odd", "");
        Assert.IsType<AuthResult.Success>(Authenticate("odd", ""));
        // The next request of the same user is served only once the refresh is done.
        Assert.IsType<AuthResult.Success>(Authenticate("odd", ""));
        AwaitCondition(() => Hasher.Calls == 2); // each refresh ran (same cost; the second after its reply) ...
        Assert.Null(Store.Get("odd"));  // ... and wrote nothing
    }
}
