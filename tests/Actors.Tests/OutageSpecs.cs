using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.1 step 4 and §3.4: online first, the outages of a real portal, recovery.</summary>
public sealed class OutageSpecs : ObActorsSpec
{
    [Fact]
    public void Accepted_replies_at_once_then_writes_a_fresh_verifier_before_the_next_request()
    {
        StartOnline();
        Portal.Knows("alice", "new-pass");
        var old = Cache("alice", "old-pass", Engine.Crypto.Argon2Parameters.Legacy, failures: 3);
        var writesSeenByCalls = new List<int>();
        Portal.OnCall = _ => { lock (writesSeenByCalls) writesSeenByCalls.Add(Store.Writes); };

        Hasher.Hold(); // the verifier refresh cannot finish…
        Send(Login("alice", "new-pass"));
        Send(Login("alice", "new-pass"));
        var first = ExpectMsg<AuthResult.Success>(); // …yet the reply is already there
        Assert.Equal(AuthPath.Online, first.Path);
        Assert.Equal(Portal.AttributesFor("alice"), first.Attributes);
        Assert.Equal(1, Portal.Calls); // the second request waits for the write
        Hasher.Release();
        Assert.Equal(AuthPath.Online, ExpectMsg<AuthResult.Success>().Path);
        Assert.Equal([0, 1], writesSeenByCalls);

        AwaitCondition(() => Store.Writes == 2);
        var fresh = Store.Get("alice")!;
        Assert.NotEqual(old.Salt, fresh.Salt);
        Assert.Equal(Settings.Argon2, fresh.Parameters);
        Assert.Equal(0, fresh.FailedAttempts);
        Assert.Equal(VirtualNow.ToUnixTimeSeconds(), fresh.CreatedAt);
        Assert.Equal(fresh.CreatedAt + 86400, fresh.ExpiresAt);
        Assert.Equal("/home/alice", fresh.Home);

        // And it verifies offline afterwards.
        Portal.Mode = PortalMode.Refuse;
        var offline = Assert.IsType<AuthResult.Success>(Authenticate("alice", "new-pass"));
        Assert.Equal(AuthPath.Offline, offline.Path);
    }

    [Fact]
    public void Rejected_never_falls_back_and_invalidates_a_stale_cached_password()
    {
        StartOnline();
        Portal.Knows("alice", "changed-upstream");
        Cache("alice", "old-pass");

        Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("alice", "typo"));
        AwaitCondition(() => Hasher.Calls == 1); // compared with the cache: no match, entry kept
        Assert.True(Store.Has("alice"));

        EventFilter.Warning(contains: "cached password for user 'alice' is stale (rejected online), entry removed").ExpectOne(() =>
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("alice", "old-pass")));
        Assert.False(Store.Has("alice"));
        Assert.Equal(ConnectivityState.Online, Connectivity().State); // a rejection is an answer
    }

    [Fact]
    public void Refused_goes_offline_at_once_and_the_confirming_probe_flips_connectivity()
    {
        StartOnline();
        Cache("alice", "pw");
        var probes = Portal.Probes;
        Portal.Mode = PortalMode.Refuse;
        var result = Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Assert.Equal(AuthPath.Offline, result.Path);
        Assert.Equal(1, Portal.Calls);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State)); // decided by the probe
        Assert.Equal(probes + 1, Portal.Probes);

        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Assert.Equal(1, Portal.Calls); // offline now: no network wait at all
    }

    [Fact]
    public void Blackholed_portal_costs_one_offline_timeout_then_logins_do_not_call_it()
    {
        StartOnline();
        Cache("alice", "pw-a");
        Cache("bob", "pw-b");
        Portal.Mode = PortalMode.Blackhole;

        Send(Login("alice", "pw-a"));
        AwaitCondition(() => Portal.Calls == 1);
        Advance(Settings.OfflineTimeout - TimeSpan.FromSeconds(1));
        ExpectStillWaitingForLlng("alice");
        Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State)); // the confirming probe's verdict

        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("bob", "pw-b")).Path);
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw-a")).Path);
        Assert.IsType<AuthResult.WrongPassword>(Authenticate("bob", "nope"));
        Assert.Equal(1, Portal.Calls);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State));
    }

    [Fact]
    public void The_wait_for_a_blackholed_portal_ends_one_scheduler_tick_before_offline_timeout()
    {
        // A timer set for d fires between d and d + one tick: set one tick early, it fires by offline_timeout.
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Blackhole;
        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 1);
        Advance(Settings.OfflineTimeout - ObActorsOptions.DefaultSchedulerTick - TimeSpan.FromMilliseconds(1));
        ExpectStillWaitingForLlng("alice");
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
    }

    [Fact]
    public void The_late_answer_of_a_timed_out_call_does_not_start_a_second_verification()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Blackhole;
        Hasher.Hold();
        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 1);
        Advance(Settings.OfflineTimeout); // timeout: the call is cancelled and answers "unavailable" late
        AwaitCondition(() => Hasher.InFlight == 1);
        Actors.Users.Tell(new Inspect("alice")); // served after the login: a marker behind the late answer
        Hasher.Release();
        Assert.IsType<AuthResult.Success>(ExpectMsg<object>());
        ExpectMsg<Engine.Maintenance.EntryDescription>();
        Assert.Equal(1, Hasher.Calls);
        Assert.Equal(1, Store.Writes);
    }

    [Fact]
    public void Slow_portal_within_the_timeout_is_online_and_beyond_it_is_offline()
    {
        StartOnline();
        Portal.Knows("alice", "pw");
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Slow;

        var probes = Portal.Probes;
        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 1);
        Advance(Settings.OfflineTimeout - TimeSpan.FromSeconds(1));
        AwaitCondition(() => Portal.Probes == probes + 1); // the confirming probe (slow as well) …
        Portal.Answer();                                   // … answers with the call
        Assert.Equal(AuthPath.Online, ExpectMsg<AuthResult.Success>().Path);
        AwaitProbesSettled(probes + 1);

        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 2);
        // In two steps: the suspicion timer's message starts the confirming probe at the virtual time it is served.
        probes = Portal.Probes;
        Advance(TimeSpan.FromMilliseconds(500));
        AwaitCondition(() => Portal.Probes == probes + 1);
        Advance(Settings.OfflineTimeout - TimeSpan.FromMilliseconds(500));
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
        Portal.Answer(); // the late answer is ignored
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State));
    }

    [Fact]
    public void Server_errors_are_unavailable_and_fall_back_offline()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.ServerError;
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State)); // the probe got a 503 too
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("nobody", "pw"));
        Assert.Equal(1, Portal.Calls);
    }

    [Fact]
    public void Recovery_by_probe_with_backoff_while_offline()
    {
        Portal.Mode = PortalMode.Refuse;
        Portal.Knows("alice", "pw");
        Cache("alice", "pw");
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(ConnectivityChanged));
        Start();
        events.FishForMessage<ConnectivityChanged>(c => c.State == ConnectivityState.Offline);
        AwaitProbesSettled(1);

        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.Equal(0, Portal.Calls);

        // Backoff 5 s, 10 s, 20 s … (jitter 0 in specs).
        Advance(TimeSpan.FromSeconds(5));
        AwaitProbesSettled(2);
        Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(2, Portal.Probes);
        Advance(TimeSpan.FromSeconds(1));
        AwaitProbesSettled(3);

        Portal.Mode = PortalMode.Up;
        Advance(TimeSpan.FromSeconds(20));
        AwaitProbesSettled(4);
        events.FishForMessage<ConnectivityChanged>(c => c.State == ConnectivityState.Online);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.Equal(1, Portal.Calls);

        // Online: one probe per interval.
        Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(4, Portal.Probes);
        Advance(TimeSpan.FromSeconds(1));
        AwaitProbesSettled(5);
    }

    [Fact]
    public void Flapping_portal_every_login_is_answered_by_the_path_that_could_decide()
    {
        // Issue 10: a request's failure no longer flips connectivity for everyone; the probes decide.
        StartOnline();
        Portal.Knows("alice", "pw");
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Flap; // calls and probes alternate up, refused, up, refused…
        var probes = Portal.Probes;
        var paths = new List<AuthPath>();
        paths.Add(Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path); // up
        paths.Add(Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path); // refused → offline, for itself
        AwaitProbesSettled(probes + 1);                                                 // the confirming probe: up
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        paths.Add(Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path); // tries again: refused → offline
        AwaitProbesSettled(probes + 2);                                                 // up again
        Assert.Equal([AuthPath.Online, AuthPath.Offline, AuthPath.Offline], paths);
        Assert.Equal(3, Portal.Calls);
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
    }

    [Fact]
    public void Offline_disabled_answers_unavailable_instead_of_using_the_cache()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Refuse;
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.OfflineDisabled), Authenticate("alice", "pw", allowOffline: false));
        Assert.Equal(0, Hasher.Calls);
    }

    [Fact]
    public void Forced_states_hold_until_cleared()
    {
        StartOnline();
        Portal.Knows("alice", "pw");
        Cache("alice", "pw");
        Actors.Connectivity.Tell(new ForceOffline("ops"));
        Assert.Equal(new ConnectivityStatus(ConnectivityState.Offline, "ops", VirtualNow, VirtualNow, true) with { Since = ExpectMsg<ConnectivityStatus>().Since },
            Connectivity());
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        var probes = Portal.Probes;
        Advance(TimeSpan.FromMinutes(30));
        Assert.Equal(probes, Portal.Probes); // no probe while forced
        Assert.Equal(ConnectivityState.Offline, Connectivity().State);

        Actors.Connectivity.Tell(new ForceOnline("ops"));
        ExpectMsg<ConnectivityStatus>(s => s.State == ConnectivityState.Online && s.ForcedBy == "ops");
        Portal.Mode = PortalMode.Refuse;
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        Assert.Equal(2, Portal.Calls); // forced online: every login tries LLNG first
        Assert.Equal(ConnectivityState.Online, Connectivity().State);

        Actors.Connectivity.Tell(ClearForce.Instance);
        ExpectMsg<ConnectivityStatus>(s => s.ForcedBy is null);
        AwaitProbesSettled(probes + 1);
        Assert.Equal(ConnectivityState.Offline, Connectivity().State); // the probe decided
    }

    [Fact]
    public void A_request_past_its_deadline_is_answered_timed_out_without_any_work()
    {
        StartOnline();
        Cache("alice", "pw");
        var late = Login("alice", "pw", within: TimeSpan.FromSeconds(-1));
        Send(late);
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.TimedOut), ExpectMsg<AuthResult>());
        Assert.Equal(0, Portal.Calls);
        Assert.Equal(0, Hasher.Calls);
    }
}
