using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;

namespace OpenBastion.Actors.Tests;

/// <summary>Child per user, passivation through the parent, supervision, no user name in paths.</summary>
public sealed class PassivationSpecs() : ObActorsSpec("obactors.user.passivation-timeout = 120s\nobactors.user.stash-bound = 64")
{
    [Fact]
    public void An_idle_entity_is_passivated_and_recreated_on_demand()
    {
        StartOffline();
        Cache("alice", "pw");
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        var first = Entity("alice")!;
        Watch(first);
        Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(first, Entity("alice"));
        Advance(TimeSpan.FromSeconds(1));
        ExpectTerminated(first);
        AwaitAssert(() => Assert.Null(Entity("alice")));

        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        var second = Entity("alice")!;
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Passivation_under_load_loses_no_message()
    {
        StartOffline();
        var users = Enumerable.Range(0, 20).Select(i => $"user{i}").ToList();
        foreach (var u in users) Cache(u, "pw-" + u);
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters.Ref, typeof(DeadLetter));

        var incarnations = new HashSet<IActorRef>();
        var answered = 0;
        for (var round = 0; round < 10; round++)
        {
            foreach (var u in users) Send(Login(u, round % 3 == 0 ? "wrong" : "pw-" + u));
            // Idle entities from the previous round passivate while this round's requests are on their way.
            Advance(TimeSpan.FromSeconds(120));
            var replies = Enumerable.Range(0, users.Count).Select(_ => ExpectMsg<AuthResult>()).ToList();
            Assert.All(replies, r => Assert.True(r is AuthResult.Success or AuthResult.WrongPassword, r.ToString()));
            answered += replies.Count;
            incarnations.Add(Entity("user0") ?? ActorRefs.Nobody);
            Advance(TimeSpan.FromSeconds(120));
        }
        Assert.Equal(200, answered);
        Assert.True(incarnations.Count > 1, "entities were passivated and re-created");
        // A receive-timeout tick reaching a stopped entity is harmless; a request or a reply never is.
        var lost = deadLetters.ReceiveWhile(TimeSpan.FromMilliseconds(200), m => m as DeadLetter)
            .Where(d => d?.Message is Protocol.Authenticate or AuthResult).ToList();
        Assert.Empty(lost);
    }

    [Fact]
    public void Requests_queued_behind_the_one_in_progress_survive_passivation_requests()
    {
        StartOffline();
        Cache("alice", "pw");
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Hasher.Hold();
        for (var i = 0; i < 10; i++) Send(Login("alice", "pw"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Advance(TimeSpan.FromSeconds(600)); // a busy entity never asks to be passivated
        Hasher.Release();
        for (var i = 0; i < 10; i++) Assert.IsType<AuthResult.Success>(ExpectMsg<AuthResult>());
    }

    [Fact]
    public void Over_the_stash_bound_requests_are_answered_busy()
    {
        StartOffline();
        Cache("alice", "pw");
        Hasher.Hold();
        Send(Login("alice", "pw"));
        AwaitCondition(() => Hasher.InFlight == 1);
        for (var i = 0; i < 64 + 5; i++) Send(Login("alice", "pw"));
        for (var i = 0; i < 5; i++) Assert.Equal(AuthResult.Busy.Instance, ExpectMsg<AuthResult>());
        Hasher.Release();
        for (var i = 0; i < 65; i++) Assert.IsType<AuthResult.Success>(ExpectMsg<AuthResult>());
    }

    [Fact]
    public void A_failing_store_answers_error_restarts_the_entity_and_keeps_the_persisted_state()
    {
        StartOffline();
        Cache("alice", "pw", failures: 2);
        Store.FailNextWrites = 1;
        Assert.IsType<AuthResult.Error>(Authenticate("alice", "wrong"));
        Assert.Equal(2, Store.Get("alice")!.FailedAttempts); // nothing half-written

        Store.FailNextWrites = 1;
        Assert.IsType<AuthResult.Error>(Authenticate("alice", "pw")); // never success without persisting

        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("alice", "wrong"));
        Assert.Equal(3, Store.Get("alice")!.FailedAttempts);
    }

    [Fact]
    public void Requests_waiting_behind_a_failing_one_are_still_served()
    {
        StartOffline();
        Cache("alice", "pw");
        Hasher.Hold();
        Send(Login("alice", "wrong"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Send(Login("alice", "pw"));
        Send(Login("alice", "pw"));
        Store.FailNextWrites = 1;
        Hasher.Release();
        Assert.IsType<AuthResult.Error>(ExpectMsg<AuthResult>());
        Assert.IsType<AuthResult.Success>(ExpectMsg<AuthResult>());
        Assert.IsType<AuthResult.Success>(ExpectMsg<AuthResult>());
    }

    [Fact]
    public void A_hashing_failure_answers_error_and_the_next_login_works()
    {
        StartOffline();
        Cache("alice", "pw");
        Hasher.FailNext();
        Assert.Equal(new AuthResult.Error("hashing failure"), Authenticate("alice", "pw"));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Assert.Equal(0, Store.Get("alice")!.FailedAttempts);
    }

    [Fact]
    public void A_failing_verifier_refresh_after_an_online_success_still_answered_success_once()
    {
        Start();
        Portal.Knows("alice", "pw");
        Store.FailNextWrites = 1;
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        AwaitCondition(() => Store.Has("alice"));
        ExpectNothingFromEntity("alice"); // one reply per request, nothing more
    }

    [Fact]
    public void No_user_name_appears_in_actor_paths()
    {
        StartOffline();
        string[] users = ["alice.smith", "bob", "Ünïcødé user", "root"];
        foreach (var u in users) Authenticate(u, "x");
        var paths = UserEntities(users.Length).Select(e => e.Path.ToString()).ToList();
        foreach (var u in users)
        {
            Assert.DoesNotContain(paths, p => p.Contains(u, StringComparison.OrdinalIgnoreCase));
            Assert.Contains(paths, p => p.EndsWith("/user/users/" + InMemoryCredentialStore.KeyOf(u)));
        }
        Assert.All(paths, p => Assert.Matches("/user/users/[0-9a-f]{32}$", p));
    }
}
