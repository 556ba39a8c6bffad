using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Tests.Policy;

public sealed class ExpiryPolicyTests
{
    private const long Ttl = 86400;
    private const long MaxTtl = 604800;

    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeSeconds(1_795_356_719));
    private readonly ExpiryPolicy _policy = ExpiryPolicy.From(EngineSettings.Defaults);

    private DateTimeOffset Now => _time.GetUtcNow();
    private long NowSeconds => Now.ToUnixTimeSeconds();

    private CredentialEntry Online()
    {
        var (created, expires) = _policy.OnOnlineSuccess(Now);
        return new CredentialEntry
        {
            User = "alice",
            CreatedAt = created,
            ExpiresAt = expires,
            PasswordHash = new byte[32],
            Salt = new byte[16],
        };
    }

    [Fact]
    public void An_online_success_sets_created_now_and_expires_after_the_ttl()
    {
        var (created, expires) = _policy.OnOnlineSuccess(Now);
        Assert.Equal(NowSeconds, created);
        Assert.Equal(NowSeconds + Ttl, expires);
        Assert.Equal(TimeSpan.FromSeconds(Ttl), _policy.Ttl);
        Assert.Equal(TimeSpan.FromSeconds(MaxTtl), _policy.MaxTtl);
    }

    [Fact]
    public void An_offline_success_slides_the_expiry_by_the_ttl()
    {
        var entry = Online();
        _time.Advance(TimeSpan.FromHours(20));
        Assert.Equal(NowSeconds + Ttl, _policy.SlideOnOfflineSuccess(entry, Now));
    }

    [Fact]
    public void An_offline_success_never_slides_past_created_plus_max_ttl()
    {
        var entry = Online();
        var created = entry.CreatedAt;
        _time.Advance(TimeSpan.FromDays(6.5));
        Assert.Equal(created + MaxTtl, _policy.SlideOnOfflineSuccess(entry, Now));
    }

    [Fact]
    public void Sliding_daily_keeps_an_entry_alive_until_exactly_max_ttl()
    {
        var entry = Online();
        for (var day = 1; day <= 7; day++)
        {
            _time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromSeconds(1));
            Assert.False(_policy.IsExpired(entry, Now), $"day {day}");
            entry = entry with { ExpiresAt = _policy.SlideOnOfflineSuccess(entry, Now) };
        }

        Assert.Equal(entry.CreatedAt + MaxTtl, entry.ExpiresAt);
        _time.Advance(TimeSpan.FromSeconds(entry.ExpiresAt - NowSeconds - 1));
        Assert.False(_policy.IsExpired(entry, Now));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_policy.IsExpired(entry, Now));
    }

    [Fact]
    public void Expired_exactly_at_expires_at()
    {
        var entry = Online();
        _time.Advance(TimeSpan.FromSeconds(Ttl - 1));
        Assert.False(_policy.IsExpired(entry, Now));
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(_policy.IsExpired(entry, Now));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(entry.ExpiresAt, NowSeconds);
        Assert.True(_policy.IsExpired(entry, Now));
    }

    [Fact]
    public void Expired_at_created_plus_max_ttl_even_when_expires_at_is_later()
    {
        // An entry whose expires_at lies beyond the absolute maximum (written with a longer TTL, or tampered).
        var entry = Online() with { ExpiresAt = NowSeconds + 2 * MaxTtl };
        _time.Advance(TimeSpan.FromSeconds(MaxTtl - 1));
        Assert.False(_policy.IsExpired(entry, Now));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_policy.IsExpired(entry, Now));
    }

    [Fact]
    public void A_shorter_configured_max_ttl_applies_to_older_entries()
    {
        var entry = Online();
        var strict = new ExpiryPolicy(TimeSpan.FromHours(1), TimeSpan.FromHours(2));
        _time.Advance(TimeSpan.FromHours(2));
        Assert.True(strict.IsExpired(entry with { ExpiresAt = NowSeconds + 10 }, Now));
    }
}
