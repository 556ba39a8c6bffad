using Akka.Configuration;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Bridge;
using ConfigurationException = OpenBastion.Engine.Configuration.ConfigurationException;

namespace OpenBastion.Host.Tests;

/// <summary>The bridge's peer policy (issue 10 item 3) and its token buckets, on virtual time.</summary>
public sealed class PeerPolicyTests
{
    private const uint Alice = 1000, Bob = 1001, DisplayManager = 120;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-15T10:00:00Z"));
    private readonly Accounts _accounts = new() { ["alice"] = Alice, ["bob"] = Bob, ["root"] = 0 };

    private PeerPolicy Policy(int burst = 5, double refillSeconds = 6) =>
        new([0, DisplayManager], _accounts, new PeerRateLimiter(burst, TimeSpan.FromSeconds(refillSeconds), _time));

    [Fact]
    public void Root_may_authenticate_anyone_without_a_rate()
    {
        var policy = Policy();
        for (var i = 0; i < 100; i++)
            Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(0, i % 2 == 0 ? "alice" : "nobody-at-all"));
        Assert.Equal(0, _accounts.Lookups); // root needs no lookup
    }

    [Fact]
    public void An_ordinary_peer_may_authenticate_its_own_account_only()
    {
        var policy = Policy();
        Assert.Equal(PeerKind.Ordinary, policy.Classify(Alice));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Alice, "alice"));
        Assert.Equal(PeerVerdict.Forbidden, policy.MayAuthenticate(Alice, "bob"));
        Assert.Equal(PeerVerdict.Forbidden, policy.MayAuthenticate(Alice, "root"));
        Assert.Equal(PeerVerdict.Forbidden, policy.MayAuthenticate(Alice, "no-such-user"));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Bob, "bob"));
    }

    [Fact]
    public void A_trusted_service_may_authenticate_any_user()
    {
        var policy = Policy();
        Assert.Equal(PeerKind.TrustedService, policy.Classify(DisplayManager));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(DisplayManager, "alice"));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(DisplayManager, "bob"));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(DisplayManager, "not-even-local"));
    }

    [Fact]
    public void An_ordinary_peer_gets_its_burst_then_busy_then_one_request_per_refill()
    {
        var policy = Policy(burst: 5, refillSeconds: 6);
        for (var i = 0; i < 5; i++) Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Alice, "alice"));
        Assert.Equal(PeerVerdict.Busy, policy.MayAuthenticate(Alice, "alice"));

        _time.Advance(TimeSpan.FromSeconds(5.9));
        Assert.Equal(PeerVerdict.BusyAgain, policy.MayAuthenticate(Alice, "alice")); // same flood: answered busy, not logged again
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Alice, "alice"));
        Assert.Equal(PeerVerdict.Busy, policy.MayAuthenticate(Alice, "alice"));

        _time.Advance(TimeSpan.FromHours(1)); // refills to the burst, never beyond
        for (var i = 0; i < 5; i++) Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Alice, "alice"));
        Assert.Equal(PeerVerdict.Busy, policy.MayAuthenticate(Alice, "alice"));
    }

    [Fact]
    public void The_rate_is_per_uid_and_is_checked_before_the_account_lookup()
    {
        var policy = Policy(burst: 2);
        Assert.Equal(PeerVerdict.Forbidden, policy.MayAuthenticate(Alice, "bob"));
        Assert.Equal(PeerVerdict.Forbidden, policy.MayAuthenticate(Alice, "root"));
        var lookups = _accounts.Lookups;

        Assert.Equal(PeerVerdict.Busy, policy.MayAuthenticate(Alice, "alice")); // refused names spent the tokens
        Assert.Equal(PeerVerdict.BusyAgain, policy.MayAuthenticate(Alice, "bob"));
        Assert.Equal(lookups, _accounts.Lookups); // over the rate: no lookup at all
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(Bob, "bob")); // another uid has its own bucket
    }

    [Fact]
    public void A_trusted_service_is_rate_limited_per_user()
    {
        var policy = Policy(burst: 1);
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(DisplayManager, "alice"));
        Assert.Equal(PeerVerdict.Busy, policy.MayAuthenticate(DisplayManager, "alice"));
        Assert.Equal(PeerVerdict.Allow, policy.MayAuthenticate(DisplayManager, "bob"));
    }

    [Fact]
    public void Full_buckets_are_forgotten_when_too_many_are_tracked()
    {
        var limiter = new PeerRateLimiter(2, TimeSpan.FromSeconds(6), _time);
        for (uint uid = 1; uid <= PeerRateLimiter.MaxTracked; uid++) Assert.True(limiter.TryTake(uid));
        Assert.True(limiter.TryTake(1)); // uid 1 now empty
        _time.Advance(TimeSpan.FromSeconds(6));
        Assert.True(limiter.TryTake(PeerRateLimiter.MaxTracked + 1)); // prunes every refilled bucket

        Assert.True(limiter.Tracked < 10, $"{limiter.Tracked} buckets still tracked");
        Assert.True(limiter.TryTake(1)); // refilled one token in 6 s: the pruned state was equivalent
    }

    [Fact]
    public void While_every_tracked_bucket_is_in_use_a_new_key_is_refused()
    {
        var limiter = new PeerRateLimiter(2, TimeSpan.FromSeconds(6), _time);
        for (var i = 0; i < PeerRateLimiter.MaxTracked; i++) Assert.True(limiter.TryTake(DisplayManager, $"user{i}"));

        Assert.Equal(RateDecision.RefusedAgain, limiter.Take(DisplayManager, "one-more"));
        Assert.Equal(PeerRateLimiter.MaxTracked, limiter.Tracked);
        Assert.True(limiter.TryTake(DisplayManager, "user0")); // known keys keep their bucket

        _time.Advance(TimeSpan.FromSeconds(12)); // every bucket full again: forgotten, room for new keys
        Assert.True(limiter.TryTake(DisplayManager, "one-more"));
    }

    [Fact]
    public void The_rate_is_read_from_the_hocon_with_defaults_5_and_6s()
    {
        var settings = EngineSettings.Defaults with { SocketAllowedUids = [0, 42] };
        var defaults = BridgeOptions.From(settings, ConfigurationFactory.ParseString("obactors.user.stash-bound = 3"));
        Assert.Equal((5, TimeSpan.FromSeconds(6)), (defaults.PeerBurst, defaults.PeerRefill));

        var tuned = BridgeOptions.From(settings, ConfigurationFactory.ParseString("obactors.bridge { peer-burst = 3, peer-refill = 20s }"));
        Assert.Equal((3, TimeSpan.FromSeconds(20)), (tuned.PeerBurst, tuned.PeerRefill));
        Assert.Equal(PeerKind.TrustedService, PeerPolicy.From(tuned, _time).Classify(42));

        var ex = Assert.Throws<ConfigurationException>(() =>
            BridgeOptions.From(settings, ConfigurationFactory.ParseString("obactors.bridge.peer-burst = 0")));
        Assert.Contains("peer-burst", Assert.Single(ex.Errors));
    }

    [Fact]
    public void The_system_accounts_resolve_through_libc()
    {
        Assert.Equal(0u, SystemAccounts.Instance.UidOf("root"));
        Assert.Equal(65534u, SystemAccounts.Instance.UidOf("nobody"));
        Assert.Null(SystemAccounts.Instance.UidOf("no-such-user-obactors"));
    }

    private sealed class Accounts : Dictionary<string, uint>, IAccountDirectory
    {
        public int Lookups { get; private set; }

        public uint? UidOf(string user)
        {
            Lookups++;
            return TryGetValue(user, out var uid) ? uid : null;
        }
    }
}
