using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.6: hashing off the actor threads, never more than N at once, deadlines honoured.</summary>
public sealed class HashingSpecs() : ObActorsSpec("obactors.hashing.workers = 2")
{
    [Fact]
    public void Hundred_users_at_once_never_more_than_the_worker_count_hashing()
    {
        StartOffline();
        var users = Enumerable.Range(0, 100).Select(i => $"user{i:000}").ToList();
        foreach (var u in users) Cache(u, "pw");
        Hasher.Hold();
        foreach (var u in users) Send(Login(u, "pw"));
        AwaitCondition(() => Hasher.InFlight == 2);
        Assert.Equal(2, Hasher.Calls); // the 98 others wait in the gate's queue, not on threads
        Hasher.Release();
        var replies = users.Select(_ => ExpectMsg<AuthResult>()).ToList();
        Assert.All(replies, r => Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(r).Path));
        Assert.Equal(100, Hasher.Calls);
        Assert.Equal(2, Hasher.MaxInFlight);
    }

    [Fact]
    public void A_queued_request_whose_deadline_passed_is_not_hashed()
    {
        StartOffline();
        Cache("a", "pw"); Cache("b", "pw"); Cache("c", "pw");
        Hasher.Hold();
        Send(Login("a", "pw", within: TimeSpan.FromMinutes(1)));
        Send(Login("b", "pw", within: TimeSpan.FromMinutes(1)));
        AwaitCondition(() => Hasher.InFlight == 2);
        Send(Login("c", "pw", within: TimeSpan.FromSeconds(10)));
        Advance(TimeSpan.FromSeconds(11));
        Hasher.Release();
        var replies = Enumerable.Range(0, 3).Select(_ => ExpectMsg<AuthResult>()).ToList();
        Assert.Equal(2, replies.Count(r => r is AuthResult.Success));
        Assert.Single(replies, new AuthResult.Unavailable(UnavailableReason.TimedOut));
        Assert.Equal(2, Hasher.Calls);
        Assert.Equal(0, Store.Get("c")!.FailedAttempts);
    }

    [Fact]
    public void Verifiers_written_with_other_parameters_are_verified_with_their_own()
    {
        StartOffline();
        Cache("legacy", "pw", Argon2Parameters.Legacy);
        Assert.IsType<AuthResult.Success>(Authenticate("legacy", "pw"));
        Assert.Null(Store.Get("legacy")!.Parameters); // rewritten only by an online success
    }
}

/// <summary>
/// Issue 10 §7: the hashing queue is bounded, and a job that cannot finish by its deadline is shed at
/// enqueue, so that sprayed wrong passwords cannot pin every worker while genuine logins wait.
/// </summary>
public sealed class HashingQueueSpecs() : ObActorsSpec("obactors.hashing.workers = 1\nobactors.hashing.queue-bound = 2")
{
    [Fact]
    public void Over_the_queue_bound_a_login_is_answered_busy_and_nothing_is_counted()
    {
        StartOffline();
        foreach (var u in new[] { "u0", "u1", "u2", "u3" }) Cache(u, "pw");
        Hasher.Hold();
        Send(Login("u0", "pw"));
        AwaitCondition(() => Hasher.InFlight == 1);
        Send(Login("u1", "pw"));
        Send(Login("u2", "pw"));
        AwaitCondition(() => Actors.Hashing!.Queued == 2);

        Assert.Equal(AuthResult.Busy.Instance, Authenticate("u3", "wrong")); // at once, while the others wait
        Assert.Equal(0, Store.Get("u3")!.FailedAttempts);
        Assert.Equal(1, Actors.Hashing!.Shed);

        Hasher.Release();
        var replies = Enumerable.Range(0, 3).Select(_ => ExpectMsg<AuthResult>()).ToList();
        Assert.All(replies, r => Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(r).Path));
        Assert.Equal(3, Hasher.Calls);
        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Offline), Authenticate("u3", "wrong")); // room again: judged, counted
        Assert.Equal(1, Store.Get("u3")!.FailedAttempts);
    }

    [Fact]
    public void The_default_bound_is_256_jobs_per_worker()
    {
        var options = ObActorsOptions.From(Akka.Configuration.ConfigurationFactory.ParseString("obactors.hashing.workers = 3"));
        Assert.Equal(768, options.HashingQueueBound);
        Assert.Equal(2, ObActorsOptions.From(Sys.Settings.Config).HashingQueueBound);
    }
}
