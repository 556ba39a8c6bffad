using Akka.Actor;
using OpenBastion.Actors.Protocol;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// A locked user's entity answers refusals from what it last saw of the entry (no file read, no hash),
/// and nothing else changes the entry without that memory being dropped.
/// </summary>
public sealed class KnownLockSpecs : ObActorsSpec
{
    [Fact]
    public void Refusals_of_a_locked_user_read_no_file_until_the_lock_ends()
    {
        StartOffline();
        Cache("alice", "right", failures: 4);
        Assert.IsType<AuthResult.WrongPassword>(Authenticate("alice", "wrong")); // the fifth failure locks
        var reads = Store.Reads;
        for (var i = 0; i < 20; i++)
            Assert.Equal(new AuthResult.Locked(30), Authenticate("alice", i % 2 == 0 ? "right" : "wrong"));
        Assert.Equal(reads, Store.Reads);
        Assert.Equal(1, Hasher.Calls);
        Assert.Equal(5, Store.Get("alice")!.FailedAttempts); // refusals are not counted

        Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(new AuthResult.Locked(1), Authenticate("alice", "right"));
        Advance(TimeSpan.FromSeconds(1));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")); // read and verified again
        Assert.Equal(reads + 1, Store.Reads);
    }

    [Fact]
    public void A_new_entity_reads_a_locked_entry_once()
    {
        StartOffline();
        Cache("bob", "right", failures: 5);
        Store.Put(Store.Get("bob")! with { LockedUntil = VirtualNow.ToUnixTimeSeconds() + 60 });
        var reads = Store.Reads;
        for (var i = 0; i < 5; i++)
            Assert.Equal(new AuthResult.Locked(60), Authenticate("bob", "right"));
        Assert.Equal(reads + 1, Store.Reads);
        Assert.Equal(0, Hasher.Calls);
    }

    [Fact]
    public void An_operator_unlock_or_invalidation_is_seen_at_the_next_attempt()
    {
        StartOffline();
        Cache("alice", "right", failures: 4);
        Cache("carol", "right", failures: 4);
        Authenticate("alice", "wrong");
        Authenticate("carol", "wrong");
        Assert.IsType<AuthResult.Locked>(Authenticate("alice", "right"));
        Assert.IsType<AuthResult.Locked>(Authenticate("carol", "right"));

        Actors.Users.Tell(new Unlock("alice"));
        ExpectMsg<Engine.Maintenance.UnlockOutcome.Unlocked>();
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "right"));

        Actors.Users.Tell(new Invalidate("carol"));
        Assert.Equal(Engine.Maintenance.InvalidateOutcome.Removed.Instance, ExpectMsg<Engine.Maintenance.InvalidateOutcome>());
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("carol", "right"));
    }

    [Fact]
    public void An_expiry_during_the_lock_is_not_hidden_by_it()
    {
        StartOffline();
        Cache("alice", "right", failures: 4);
        Store.Put(Store.Get("alice")! with { ExpiresAt = VirtualNow.ToUnixTimeSeconds() + 10 });
        Authenticate("alice", "wrong");
        Assert.IsType<AuthResult.Locked>(Authenticate("alice", "right"));
        Advance(TimeSpan.FromSeconds(10)); // the entry's TTL runs out while it is still locked
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), Authenticate("alice", "right"));
        Assert.Null(Store.Get("alice"));
    }

    [Fact]
    public void An_online_success_ends_what_the_entity_knew_of_the_lock()
    {
        StartOffline();
        Portal.Knows("alice", "right");
        Cache("alice", "right", failures: 4);
        Authenticate("alice", "wrong");
        Assert.IsType<AuthResult.Locked>(Authenticate("alice", "right"));

        Actors.Connectivity.Tell(new ForceOnline("spec"));
        ExpectMsg<ConnectivityStatus>();
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")).Path);
        Actors.Connectivity.Tell(new ForceOffline("spec"));
        ExpectMsg<ConnectivityStatus>();
        // The refresh wrote a fresh, unlocked verifier before this request was served.
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "right")).Path);
    }
}
