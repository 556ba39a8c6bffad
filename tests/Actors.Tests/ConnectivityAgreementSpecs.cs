using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;
using OpenBastion.Engine.Online;

namespace OpenBastion.Actors.Tests;

/// <summary>
/// Issue 10 §1: no single client request can flip connectivity for everyone while the portal answers
/// probes. Only the monitor decides, and only a failed probe marks Offline (src/Actors/README.md).
/// </summary>
public sealed class ConnectivityAgreementSpecs : ObActorsSpec
{
    [Fact]
    public void Six_refused_requests_with_password_0_neither_lock_nor_count_nor_flip_connectivity()
    {
        // The review's reproduction, through the engine's real LLNG client: LLNG 2.16 answers
        // 400 invalid_request for the Perl-false password "0".
        var llng = new LlngLikeHandler().Knows("dwho", "dwho").Knows("rtyler", "rtyler");
        Settings = Settings with { PortalUrl = LlngLikeHandler.Base, ClientId = "bastion", ClientSecret = "s" };
        using var client = new LlngClient(Settings, llng, Time);
        StartOnline(client);
        Cache("dwho", "dwho");

        for (var i = 0; i < 6; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("dwho", "0"));

        Assert.Equal(6, llng.TokenRequests);
        Assert.Equal(0, Hasher.Calls); // not even the stale check: the portal did not judge the password
        var entry = Store.Get("dwho")!;
        Assert.Equal(0, entry.FailedAttempts);
        Assert.Equal(0, entry.LockedUntil);
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("dwho", "dwho")).Path);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("rtyler", "rtyler", allowOffline: false)).Path);
    }

    [Fact]
    public void A_refused_request_of_any_kind_is_a_rejection_without_fallback_count_or_state_change()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Knows("alice", "pw");
        Portal.Script = (_, password) => password == "refused" ? new OnlineOutcome.Rejected("invalid_request") : null;
        var probes = Portal.Probes;

        for (var i = 0; i < 6; i++)
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("alice", "refused"));

        Assert.Equal(0, Hasher.Calls);
        Assert.Equal(0, Store.Get("alice")!.FailedAttempts);
        Assert.Equal(probes, Portal.Probes); // an answer is not a reason to doubt the portal
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
    }

    [Fact]
    public void The_portal_refusing_our_client_credentials_is_logged_for_the_operator()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Script = (_, _) => new OnlineOutcome.Rejected("invalid_client");
        EventFilter.Error(contains: "portal refused our client credentials (invalid_client)").ExpectOne(() =>
            Assert.Equal(new AuthResult.WrongPassword(AuthPath.Online), Authenticate("alice", "pw")));
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
    }

    [Fact]
    public void One_requests_transport_failure_while_probes_succeed_leaves_everyone_online()
    {
        StartOnline();
        Cache("alice", "pw-a");
        Cache("bob", "pw-b");
        Portal.Knows("bob", "pw-b");
        var probes = Portal.Probes;
        Portal.FailNextCalls(1);

        // alice's call is refused: she falls back offline, for herself only …
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw-a")).Path);
        // … the monitor confirms at once with a probe, which succeeds …
        AwaitProbesSettled(probes + 1);
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        // … so bob's next request still goes online.
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("bob", "pw-b")).Path);
        Assert.Equal(2, Portal.Calls);
    }

    [Fact]
    public void A_failed_confirming_probe_marks_offline_and_cuts_every_pending_online_call_short()
    {
        StartOnline();
        Cache("alice", "pw-a");
        Cache("bob", "pw-b");
        Portal.Mode = PortalMode.Blackhole;   // the calls hang …
        Portal.ProbeMode = PortalMode.Refuse; // … and the confirming probe is refused at once
        var probes = Portal.Probes;

        Send(Login("alice", "pw-a"));
        Send(Login("bob", "pw-b"));
        AwaitCondition(() => Portal.Calls == 2);
        EventFilter.Warning(start: "LLNG unreachable, switching to offline mode (probe failed)").ExpectOne(() =>
            Advance(Options.ConfirmAfterFor(Settings.OfflineTimeout)));

        // Both waits end at the probe's verdict, long before offline_timeout.
        var replies = new[] { ExpectMsg<AuthResult.Success>(), ExpectMsg<AuthResult.Success>() };
        Assert.All(replies, r => Assert.Equal(AuthPath.Offline, r.Path));
        Assert.Equal(probes + 1, Portal.Probes);
        Assert.Equal(ConnectivityState.Offline, Connectivity().State);
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw-a")).Path);
        Assert.Equal(2, Portal.Calls); // offline now: no network wait at all
    }

    [Fact]
    public void An_online_call_unanswered_after_the_suspicion_delay_starts_a_probe_that_ends_by_the_requests_timeout()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Blackhole; // calls and probes hang
        var probes = Portal.Probes;
        var suspicion = Options.ConfirmAfterFor(Settings.OfflineTimeout);
        var cut = Options.OnlineCutFor(Settings.OfflineTimeout);

        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 1);
        Advance(suspicion - TimeSpan.FromMilliseconds(1));
        Assert.Equal(probes, Portal.Probes);
        Advance(TimeSpan.FromMilliseconds(1));
        AwaitCondition(() => Portal.Probes == probes + 1); // the confirming probe, with the rest of the wait

        Advance(cut - suspicion - TimeSpan.FromMilliseconds(1));
        ExpectStillWaitingForLlng("alice");
        Assert.Equal(ConnectivityState.Online, Connectivity().State);
        Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State)); // the probe's verdict, same instant
        Assert.Equal(false, Connectivity().LastProbeSucceeded);
    }

    [Fact]
    public void The_offline_broadcast_does_not_cut_a_no_offline_cache_request_which_keeps_waiting_for_the_portal()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Knows("bob", "pw-b");
        Portal.Mode = PortalMode.Slow;        // calls wait for the test …
        Portal.ProbeMode = PortalMode.Refuse; // … the confirming probe fails at once

        Send(Login("alice", "pw"));
        Send(Login("bob", "pw-b", allowOffline: false));
        AwaitCondition(() => Portal.Calls == 2);
        Advance(Options.ConfirmAfterFor(Settings.OfflineTimeout));
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path); // alice: cut short, from the cache
        ExpectStillWaitingForLlng("bob");
        Portal.Answer();
        Assert.Equal(AuthPath.Online, ExpectMsg<AuthResult.Success>().Path);
    }

    [Fact]
    public void An_operator_forcing_offline_cuts_a_pending_online_call_short()
    {
        StartOnline();
        Cache("alice", "pw");
        Portal.Mode = PortalMode.Blackhole;
        Send(Login("alice", "pw"));
        AwaitCondition(() => Portal.Calls == 1);
        Actors.Connectivity.Tell(new ForceOffline("ops"), CreateTestProbe().Ref);
        Assert.Equal(AuthPath.Offline, ExpectMsg<AuthResult.Success>().Path);
    }

    [Fact]
    public void An_answer_before_the_suspicion_delay_starts_no_probe()
    {
        StartOnline();
        Portal.Knows("alice", "pw");
        var probes = Portal.Probes;
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(probes, Portal.Probes);
    }

    [Fact]
    public void A_no_offline_cache_request_tries_the_portal_while_offline_and_while_forced_offline()
    {
        Portal.Mode = PortalMode.Refuse;
        Portal.Knows("rtyler", "pw");
        Cache("rtyler", "pw");
        Start();
        AwaitProbesSettled(1);
        Assert.Equal(ConnectivityState.Offline, Connectivity().State);

        Portal.Mode = PortalMode.Up;
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("rtyler", "pw", allowOffline: false)).Path);
        Assert.Equal(1, Portal.Calls);

        Actors.Connectivity.Tell(new ForceOffline("ops"));
        ExpectMsg<ConnectivityStatus>(s => s.State == ConnectivityState.Offline);
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("rtyler", "pw", allowOffline: false)).Path);
        Assert.Equal(2, Portal.Calls);
        Assert.Equal(AuthPath.Offline, Assert.IsType<AuthResult.Success>(Authenticate("rtyler", "pw")).Path); // the others: cache
        Assert.Equal(2, Portal.Calls);

        Portal.Mode = PortalMode.Refuse;
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.OfflineDisabled), Authenticate("rtyler", "pw", allowOffline: false));
        Assert.Equal(3, Portal.Calls);
        var status = Connectivity();
        Assert.Equal((ConnectivityState.Offline, "ops"), (status.State, status.ForcedBy)); // an operator's force holds
    }

    private ObActorsOptions Options => ObActorsOptions.From(Sys.Settings.Config);
}
