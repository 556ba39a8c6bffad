using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Online;

namespace OpenBastion.Actors.Tests;

/// <summary>Issue 10 item 4: a key change never destroys the cache; a transient read error is not corruption.</summary>
public sealed class CacheFreezeSpecs : ObActorsSpec
{
    private static string K(string user) => InMemoryCredentialStore.KeyOf(user);

    [Fact]
    public void A_frozen_cache_quarantines_writes_and_deletes_nothing_on_offline_logins()
    {
        Guard.Freeze("key material changed (spec)");
        StartOffline();
        Store.PutUnreadable(K("bob"));
        Cache("alice", "pw");
        Cache("old", "pw", age: TimeSpan.FromDays(30)); // expired

        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate("bob", "pw"));
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate("alice", "wrong"));
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate("old", "pw"));

        Assert.Empty(Store.Quarantined);
        Assert.Equal(0, Store.Writes);
        Assert.Equal(0, Store.Deletes);
        Assert.Equal(3, Store.Count);
    }

    [Fact]
    public void A_frozen_cache_is_left_alone_by_the_sweep_and_by_per_user_admin_commands()
    {
        Guard.Freeze("key material changed (spec)");
        StartOffline();
        Store.PutUnreadable(K("bob"));
        Cache("old", "pw", age: TimeSpan.FromDays(30));
        Store.PutTemporary("/memory/.x.tmp", VirtualNow - TimeSpan.FromDays(1));

        Actors.Janitor.Tell(SweepNow.Instance);
        Assert.Equal(new SweepReport(0, 0, 0, 0), ExpectMsg<SweepReport>());
        Actors.Users.Tell(new Unlock("old"), TestActor);
        Assert.IsType<Engine.Maintenance.UnlockOutcome.Frozen>(ExpectMsg<object>());
        Actors.Users.Tell(new Invalidate("old"), TestActor);
        Assert.IsType<Engine.Maintenance.InvalidateOutcome.Frozen>(ExpectMsg<object>());

        Assert.Empty(Store.Quarantined);
        Assert.Equal(0, Store.Deletes);
        Assert.Equal(2, Store.Count);
        Assert.Single(Store.Temporary);
    }

    [Fact]
    public void A_frozen_cache_still_serves_online_logins_but_caches_nothing()
    {
        Guard.Freeze("key material changed (spec)");
        Portal.Knows("alice", "pw");
        Start();
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.IsType<AuthResult.WrongPassword>(Authenticate("alice", "bad"));
        Assert.Equal(0, Store.Writes);
        Assert.False(Store.Has("alice"));
    }

    [Fact]
    public void When_most_entries_stop_decrypting_at_once_the_login_path_stops_quarantining()
    {
        StartOffline();
        foreach (var user in new[] { "u1", "u2", "u3", "u4", "u5" }) Store.PutUnreadable(K(user));

        foreach (var user in new[] { "u1", "u2", "u3", "u4", "u5" })
            Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate(user, "pw"));

        // The first two looked like single corrupt entries; from the third distinct failure the cache froze.
        Assert.Equal([K("u1"), K("u2")], Store.Quarantined);
        Assert.True(Guard.Frozen);
        Assert.Equal(3, Store.Count);
    }

    [Fact]
    public void When_most_entries_stop_decrypting_at_once_the_sweep_quarantines_at_most_the_first_two()
    {
        Start();
        for (var i = 0; i < 6; i++) Store.PutUnreadable($"{i:x32}");
        Actors.Janitor.Tell(SweepNow.Instance);
        Assert.True(ExpectMsg<SweepReport>().Quarantined <= 2);
        Assert.True(Guard.Frozen);
        Assert.True(Store.Count >= 4);
    }

    [Fact]
    public void One_corrupt_entry_among_readable_ones_is_still_quarantined()
    {
        StartOffline();
        foreach (var user in new[] { "a", "b", "c", "d" }) Cache(user, "pw");
        foreach (var user in new[] { "a", "b", "c", "d" }) Assert.IsType<AuthResult.Success>(Authenticate(user, "pw"));
        Store.PutUnreadable(K("mallory"));
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate("mallory", "pw"));
        Assert.Equal([K("mallory")], Store.Quarantined);
        Assert.False(Guard.Frozen);
    }

    [Fact]
    public void A_transient_read_error_answers_error_and_is_never_quarantined()
    {
        StartOffline();
        Store.PutUnreadable(K("bob"), ReadFailure.IoError);
        Assert.IsType<AuthResult.Error>(Authenticate("bob", "pw"));

        Actors.Janitor.Tell(SweepNow.Instance);
        Assert.Equal(0, ExpectMsg<SweepReport>().Quarantined);
        Assert.Empty(Store.Quarantined);
        Assert.Equal(1, Store.Count);
    }

    [Fact]
    public void A_not_cached_answer_performs_exactly_one_pad_write_like_a_wrong_password_persists_once()
    {
        StartOffline();
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("nobody", "pw"));
        Assert.Equal(1, Store.PadWrites);
        Assert.Equal(0, Store.Writes);
        Assert.Equal(0, Store.Count);

        Cache("alice", "pw");
        Assert.IsType<AuthResult.WrongPassword>(Authenticate("alice", "bad"));
        Assert.Equal(1, Store.PadWrites);
        Assert.Equal(1, Store.Writes);
    }

    [Fact]
    public void A_failed_pad_write_answers_error_like_a_failed_persist()
    {
        StartOffline();
        Store.FailWrites = true;
        Assert.IsType<AuthResult.Error>(Authenticate("nobody", "pw"));
    }
}
