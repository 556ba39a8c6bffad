using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.4: the monitor's probes, subscriptions and the daemon's view of the system.</summary>
public sealed class ConnectivitySpecs : ObActorsSpec
{
    [Fact]
    public void A_blackholed_probe_is_abandoned_after_offline_timeout_and_marks_offline()
    {
        Portal.Mode = PortalMode.Blackhole;
        Start();
        AwaitCondition(() => Portal.Probes == 1);
        Assert.Equal(ConnectivityState.Unknown, Connectivity().State);
        EventFilter.Warning(start: "LLNG unreachable, switching to offline mode").ExpectOne(() =>
            Advance(Settings.OfflineTimeout));
        AwaitAssert(() => Assert.Equal(ConnectivityState.Offline, Connectivity().State));
        Assert.Equal(false, Connectivity().LastProbeSucceeded);

        // The cancelled probe's late answer is ignored: the backoff still starts at 5 s.
        Portal.Mode = PortalMode.Refuse;
        Advance(TimeSpan.FromSeconds(4));
        Assert.Equal(1, Portal.Probes);
        Advance(TimeSpan.FromSeconds(1));
        AwaitProbesSettled(2);
        Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(2, Portal.Probes);
        Advance(TimeSpan.FromSeconds(1));
        AwaitProbesSettled(3);
    }

    [Fact]
    public void Subscribers_get_the_current_state_at_once_then_every_change_until_they_unsubscribe()
    {
        Portal.Mode = PortalMode.Refuse;
        Start();
        AwaitProbesSettled(1);
        var subscriber = CreateTestProbe();
        Actors.Connectivity.Tell(new Subscribe(subscriber.Ref));
        Assert.Equal(ConnectivityState.Offline, subscriber.ExpectMsg<ConnectivityChanged>().State);

        Actors.Connectivity.Tell(new ForceOnline("ops"));
        ExpectMsg<ConnectivityStatus>();
        Assert.Equal(new ConnectivityChanged(ConnectivityState.Online, "ops", VirtualNow), subscriber.ExpectMsg<ConnectivityChanged>());

        Actors.Connectivity.Tell(new Unsubscribe(subscriber.Ref));
        Actors.Connectivity.Tell(new ForceOffline("ops"));
        ExpectMsg<ConnectivityStatus>();
        // Silence without a wall-clock window: the monitor's messages to one subscriber arrive in order, so after
        // subscribing again the next one must be the current state, not the change made while unsubscribed.
        Actors.Connectivity.Tell(new ForceOnline("ops"));
        ExpectMsg<ConnectivityStatus>();
        Actors.Connectivity.Tell(new Subscribe(subscriber.Ref));
        Assert.Equal(ConnectivityState.Online, subscriber.ExpectMsg<ConnectivityChanged>().State);
    }

    [Fact]
    public void An_answered_request_marks_online_without_waiting_for_the_probe()
    {
        Portal.Mode = PortalMode.Blackhole; // the first probe hangs: state stays Unknown
        Portal.Knows("alice", "pw");
        Start();
        AwaitCondition(() => Portal.Probes == 1);
        Portal.Mode = PortalMode.Up;
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        AwaitAssert(() => Assert.Equal(ConnectivityState.Online, Connectivity().State));
        Assert.Null(Connectivity().LastProbe);
    }

    [Fact]
    public async Task The_daemon_asks_the_registry_and_gets_an_auth_result()
    {
        Portal.Knows("alice", "pw");
        Start();
        var result = await Actors.Users.Ask<AuthResult>(Login("alice", "pw"), TimeSpan.FromSeconds(10));
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(result).Path);
        Assert.Equal("/user/users", Actors.Users.Path.ToStringWithoutAddress());
        Assert.Equal("/user/connectivity", Actors.Connectivity.Path.ToStringWithoutAddress());
        Assert.Equal("/user/janitor", Actors.Janitor.Path.ToStringWithoutAddress());
    }
}
