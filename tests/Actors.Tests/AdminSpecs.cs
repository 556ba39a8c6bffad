using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Maintenance;

namespace OpenBastion.Actors.Tests;

/// <summary>Operator requests go through the user's entity (never racing a login).</summary>
public sealed class AdminSpecs : ObActorsSpec
{
    [Fact]
    public void Unlock_really_unlocks()
    {
        StartOffline();
        Cache("alice", "pw", failures: 4);
        Authenticate("alice", "wrong");
        Assert.IsType<AuthResult.Locked>(Authenticate("alice", "pw"));
        Actors.Users.Tell(new Unlock("alice"));
        Assert.Equal(new UnlockOutcome.Unlocked(true, 5), ExpectMsg<UnlockOutcome>());
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Actors.Users.Tell(new Unlock("nobody"));
        Assert.Equal(UnlockOutcome.NoEntry.Instance, ExpectMsg<UnlockOutcome>());
    }

    [Fact]
    public void Inspect_describes_the_entry_without_its_verifier()
    {
        StartOffline();
        var entry = Cache("alice", "pw", failures: 4);
        Actors.Users.Tell(new Inspect("alice"));
        var info = ExpectMsg<EntryDescription>();
        Assert.True(info.Found);
        Assert.Equal(EntryStatus.Active, info.Status);
        Assert.Equal(4, info.Failures);
        Assert.Equal(entry.CreatedAt, info.CreatedAt);
        Assert.Equal(entry.ExpiresAt, info.ExpiresAt);
        Assert.Equal("/home/alice", info.Home);
        Assert.DoesNotContain(Convert.ToBase64String(entry.PasswordHash), info.ToString());

        Authenticate("alice", "wrong");
        Actors.Users.Tell(new Inspect("alice"));
        var locked = ExpectMsg<EntryDescription>();
        Assert.Equal(EntryStatus.Locked, locked.Status);
        Assert.Equal(VirtualNow.ToUnixTimeSeconds() + 30, locked.LockedUntil);

        Advance(TimeSpan.FromDays(2));
        Actors.Users.Tell(new Inspect("alice"));
        Assert.Equal(EntryStatus.Expired, ExpectMsg<EntryDescription>().Status);

        Store.PutUnreadable(Doubles.InMemoryCredentialStore.KeyOf("bob"));
        Actors.Users.Tell(new Inspect("bob"));
        Assert.Equal(EntryStatus.Unreadable, ExpectMsg<EntryDescription>().Status);
        Actors.Users.Tell(new Inspect("carol"));
        Assert.Equal(EntryStatus.None, ExpectMsg<EntryDescription>().Status);
    }

    [Fact]
    public void Invalidate_waits_for_the_login_in_progress()
    {
        StartOffline();
        Cache("alice", "pw");
        Hasher.Hold();
        Send(Login("alice", "pw"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Actors.Users.Tell(new Invalidate("alice"));
        Hasher.Release();
        Assert.IsType<AuthResult.Success>(ExpectMsg<object>()); // the login first…
        Assert.Equal(InvalidateOutcome.Removed.Instance, ExpectMsg<InvalidateOutcome>()); // …then the deletion
        Assert.False(Store.Has("alice"));
    }

    [Fact]
    public void Invalidate_all_removes_every_entry_through_its_owner()
    {
        StartOffline();
        for (var i = 0; i < 7; i++) Cache($"u{i}", "pw");
        Assert.IsType<AuthResult.Success>(Authenticate("u0", "pw")); // one live entity
        Actors.Users.Tell(InvalidateAll.Instance);
        Assert.Equal(new InvalidateAllResult(7), ExpectMsg<InvalidateAllResult>());
        Assert.Equal(0, Store.Count);
    }
}
