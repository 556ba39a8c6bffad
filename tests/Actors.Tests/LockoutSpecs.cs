using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.2 on virtual time.</summary>
public sealed class LockoutSpecs() : ObActorsSpec("obactors.user.stash-bound = 128")
{
    [Fact]
    public void Lockout_ladder_doubles_from_30s_and_is_capped_at_one_hour_and_locked_attempts_are_not_hashed()
    {
        StartOffline();
        Cache("alice", "right");
        for (var i = 1; i <= 5; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
        Assert.Equal(5, Hasher.Calls);

        long[] ladder = [30, 60, 120, 240, 480, 960, 1920, 3600, 3600];
        for (var step = 0; step < ladder.Length; step++)
        {
            var expected = ladder[step];
            Assert.Equal(new AuthResult.Locked(expected), Authenticate("alice", "wrong"));
            Assert.Equal(new AuthResult.Locked(expected), Authenticate("alice", "right")); // even the right password
            Advance(TimeSpan.FromSeconds(expected / 2));
            Assert.Equal(new AuthResult.Locked(expected - expected / 2), Authenticate("alice", "wrong"));
            Assert.Equal(5 + step, Hasher.Calls); // refused without hashing
            Advance(TimeSpan.FromSeconds(expected - expected / 2));
            if (step < ladder.Length - 1)
                Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
        }
        Assert.Equal(5 + ladder.Length - 1, Store.Get("alice")!.FailedAttempts);
    }

    [Fact]
    public void A_success_resets_the_failure_count_and_the_lock()
    {
        StartOffline();
        Cache("alice", "right");
        for (var i = 0; i < 4; i++) Authenticate("alice", "wrong");
        Assert.Equal(4, Store.Get("alice")!.FailedAttempts);
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right"));
        Assert.Equal(0, Store.Get("alice")!.FailedAttempts);
        for (var i = 0; i < 4; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
        Assert.Equal(new AuthResult.Locked(30), Authenticate("alice", "right"));

        Advance(TimeSpan.FromSeconds(30));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right"));
        var entry = Store.Get("alice")!;
        Assert.Equal(0, entry.FailedAttempts);
        Assert.Equal(0, entry.LockedUntil);
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
    }

    [Fact]
    public void Hundred_parallel_wrong_passwords_for_one_user_cost_exactly_max_attempts_hashes()
    {
        StartOffline();
        Cache("bob", "right");
        Hasher.Hold(); // every request is in the user's mailbox or stash before the first hash ends
        for (var i = 0; i < 100; i++) Send(Login("bob", $"wrong-{i}"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Hasher.Release();

        var replies = Enumerable.Range(0, 100).Select(_ => ExpectMsg<AuthResult>()).ToList();
        Assert.Equal(5, replies.Count(r => r is AuthResult.WrongPassword));
        Assert.Equal(95, replies.Count(r => r is AuthResult.Locked { SecondsLeft: 30 }));
        Assert.Equal(5, Hasher.Calls);
        Assert.Equal(1, Hasher.MaxInFlight); // one request at a time per user
    }

    [Fact]
    public void Persist_happens_before_the_wrong_password_reply()
    {
        StartOffline();
        Cache("carol", "right");
        Assert.IsType<AuthResult.WrongPassword>(Authenticate("carol", "wrong"));
        Assert.Equal(1, Store.Get("carol")!.FailedAttempts); // visible as soon as the reply is
        Assert.Equal(1, Store.Writes);
    }
}
