using Akka.Actor;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Actors.Tests;

/// <summary>DESIGN §3.3: sliding TTL capped by max TTL; the janitor and its races.</summary>
public sealed class ExpirySpecs : ObActorsSpec
{
    public ExpirySpecs()
    {
        Settings = Settings with
        {
            OfflineCacheTtl = TimeSpan.FromHours(2),
            OfflineCacheMaxTtl = TimeSpan.FromHours(5),
            OfflineCacheCleanupInterval = TimeSpan.FromDays(30), // no timed sweep unless a spec asks for one
        };
    }

    private long T0 { get; set; }

    [Fact]
    public void Offline_success_slides_the_expiry_capped_by_created_at_plus_max_ttl()
    {
        StartOffline();
        T0 = Cache("alice", "pw").CreatedAt;
        var h = 3600L;

        Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(TimeSpan.FromMinutes(90), Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).CachedAge);
        Assert.Equal(T0 + 90 * 60 + 2 * h, Store.Get("alice")!.ExpiresAt);

        Advance(TimeSpan.FromMinutes(90));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Assert.Equal(T0 + 5 * h, Store.Get("alice")!.ExpiresAt); // min(now + 2 h, created + 5 h)

        Advance(TimeSpan.FromMinutes(90));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Assert.Equal(T0 + 5 * h, Store.Get("alice")!.ExpiresAt);
        Assert.Equal(VirtualNow.ToUnixTimeSeconds(), Store.Get("alice")!.LastSuccess);

        Advance(TimeSpan.FromMinutes(30)); // created + 5 h
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), Authenticate("alice", "pw"));
        Assert.False(Store.Has("alice"));
    }

    [Fact]
    public void Without_use_an_entry_expires_after_the_ttl_and_is_deleted()
    {
        StartOffline();
        Cache("alice", "pw");
        Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
        Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw"));
        Advance(TimeSpan.FromHours(2));
        var hashes = Hasher.Calls;
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), Authenticate("alice", "pw"));
        Assert.Equal(hashes, Hasher.Calls);
        Assert.False(Store.Has("alice"));
    }

    [Fact]
    public void Not_cached_costs_a_hash_like_a_real_verification()
    {
        StartOffline();
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.NotCached), Authenticate("ghost", "pw"));
        Assert.Equal(1, Hasher.Calls);
    }

    [Fact]
    public void An_unreadable_entry_is_quarantined_not_destroyed()
    {
        StartOffline();
        Store.PutUnreadable(Doubles.InMemoryCredentialStore.KeyOf("mallory"));
        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Unreadable), Authenticate("mallory", "pw"));
        Assert.Equal([Doubles.InMemoryCredentialStore.KeyOf("mallory")], Store.Quarantined);
        Assert.Equal(0, Hasher.Calls);
    }

    [Fact]
    public void The_janitor_removes_each_kind_of_stale_file_and_keeps_the_rest()
    {
        StartOffline();
        Cache("fresh", "pw");
        Cache("ttl-expired", "pw", age: TimeSpan.FromHours(3));
        var old = Cache("max-ttl-expired", "pw", age: TimeSpan.FromHours(6));
        Store.Put(old with { ExpiresAt = VirtualNow.ToUnixTimeSeconds() + 3600 }); // slid, but too old
        Store.PutUnreadable("0123456789abcdef0123456789abcdef");
        Store.PutTemporary("/memory/.tmp-old", VirtualNow - TimeSpan.FromMinutes(2));
        Store.PutTemporary("/memory/.tmp-young", VirtualNow - TimeSpan.FromSeconds(10));

        Actors.Janitor.Tell(SweepNow.Instance);
        Assert.Equal(new SweepReport(Scanned: 4, ExpiredRemoved: 2, OrphanTempsRemoved: 1, Quarantined: 1), ExpectMsg<SweepReport>());
        Assert.True(Store.Has("fresh"));
        Assert.False(Store.Has("ttl-expired"));
        Assert.False(Store.Has("max-ttl-expired"));
        Assert.Equal(["0123456789abcdef0123456789abcdef"], Store.Quarantined);
        Assert.Equal(["/memory/.tmp-young"], Store.Temporary);
    }

    [Fact]
    public void The_janitor_sweeps_every_cleanup_interval()
    {
        var reports = CreateTestProbe();
        Sys.EventStream.Subscribe(reports.Ref, typeof(SweepReport));
        Settings = Settings with { OfflineCacheCleanupInterval = TimeSpan.FromHours(1) };
        StartOffline();
        Cache("alice", "pw");
        Advance(TimeSpan.FromHours(1)); // a sweep: nothing stale yet
        Assert.Equal(new SweepReport(1, 0, 0, 0), reports.ExpectMsg<SweepReport>());
        Advance(TimeSpan.FromHours(1)); // a sweep: alice expired (ttl 2 h)
        Assert.Equal(new SweepReport(1, 1, 0, 0), reports.ExpectMsg<SweepReport>());
        Assert.False(Store.Has("alice"));
    }

    [Fact]
    public void A_sweep_during_an_online_refresh_does_not_delete_the_fresh_entry()
    {
        Start();
        Portal.Knows("alice", "pw");
        Cache("alice", "pw", age: TimeSpan.FromHours(3)); // stale on disk
        Hasher.Hold();
        Assert.Equal(AuthPath.Online, Assert.IsType<AuthResult.Success>(Authenticate("alice", "pw")).Path);
        AwaitCondition(() => Hasher.InFlight == 1); // the entity is writing the fresh verifier

        Actors.Janitor.Tell(SweepNow.Instance); // sees the stale file, asks the owner
        Hasher.Release();
        var report = ExpectMsg<SweepReport>();
        Assert.Equal(0, report.ExpiredRemoved); // the owner decided after its write
        var entry = Store.Get("alice");
        Assert.NotNull(entry);
        Assert.Equal(VirtualNow.ToUnixTimeSeconds(), entry.CreatedAt);
    }

    [Fact]
    public void A_sweep_during_an_offline_verification_does_not_resurrect_the_entry()
    {
        StartOffline();
        Cache("alice", "pw", age: TimeSpan.FromHours(2) - TimeSpan.FromMinutes(1));
        Hasher.Hold();
        Send(Login("alice", "pw"));
        AwaitCondition(() => Hasher.InFlight == 1); // read as valid, hashing
        Advance(TimeSpan.FromMinutes(2)); // now it is expired
        Actors.Janitor.Tell(SweepNow.Instance);
        Hasher.Release();

        Assert.Equal(new AuthResult.Unavailable(UnavailableReason.Expired), ExpectMsg<AuthResult>());
        var report = ExpectMsg<SweepReport>();
        Assert.Equal(0, report.ExpiredRemoved); // the entity removed it first; the sweep found nothing
        Assert.False(Store.Has("alice"));
        Assert.Equal(0, Store.Writes); // no write brought it back
    }
}
