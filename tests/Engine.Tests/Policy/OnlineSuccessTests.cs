using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Tests.Policy;

public sealed class OnlineSuccessTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_356_719);
    private readonly ExpiryPolicy _expiry = ExpiryPolicy.From(EngineSettings.Defaults);

    private static CredentialEntry Cached(Argon2Parameters? parameters, int hashLength = 32, int saltLength = 16) => new()
    {
        User = "alice",
        CreatedAt = Now.AddDays(-6).ToUnixTimeSeconds(),
        ExpiresAt = Now.AddDays(-5).ToUnixTimeSeconds(),
        LastSuccess = Now.AddDays(-6).ToUnixTimeSeconds(),
        FailedAttempts = 7,
        LockedUntil = Now.AddMinutes(30).ToUnixTimeSeconds(),
        PasswordHash = new byte[hashLength],
        Salt = new byte[saltLength],
        Parameters = parameters,
    };

    [Fact]
    public void A_verifier_with_the_current_parameters_may_be_reconfirmed() =>
        Assert.True(OnlineSuccess.MayReconfirm(Cached(Argon2Parameters.Default), Argon2Parameters.Default));

    [Theory]
    [InlineData(65536, 3, 1)]   // Open Bastion 0.6's p=1
    [InlineData(65536, 2, 4)]
    [InlineData(131072, 3, 4)]
    public void A_verifier_with_other_parameters_is_recomputed(int m, int t, int p) =>
        Assert.False(OnlineSuccess.MayReconfirm(Cached(new Argon2Parameters(m, t, p)), Argon2Parameters.Default));

    [Fact]
    public void An_entry_without_parameters_counts_as_the_legacy_p1_ones() =>
        Assert.False(OnlineSuccess.MayReconfirm(Cached(null), Argon2Parameters.Default));

    [Theory]
    [InlineData(0, 16)]
    [InlineData(32, 0)]
    public void An_entry_without_a_verifier_or_salt_is_recomputed(int hash, int salt) =>
        Assert.False(OnlineSuccess.MayReconfirm(Cached(Argon2Parameters.Default, hash, salt), Argon2Parameters.Default));

    [Fact]
    public void No_entry_is_recomputed() => Assert.False(OnlineSuccess.MayReconfirm(null, Argon2Parameters.Default));

    [Fact]
    public void The_record_is_as_of_now_with_failures_and_lock_cleared_and_the_portals_attributes()
    {
        var hash = new byte[32];
        var salt = new byte[16];
        var entry = OnlineSuccess.Record("alice", hash, salt, Argon2Parameters.Default,
            new UserAttributes("Alice A.", "/bin/zsh", "/home/alice"), Now, _expiry);

        var (created, expires) = _expiry.OnOnlineSuccess(Now);
        Assert.Equal(("alice", created, expires, created), (entry.User, entry.CreatedAt, entry.ExpiresAt, entry.LastSuccess));
        Assert.Equal((0, 0L), (entry.FailedAttempts, entry.LockedUntil));
        Assert.Same(hash, entry.PasswordHash);
        Assert.Same(salt, entry.Salt);
        Assert.Equal(Argon2Parameters.Default, entry.Parameters);
        Assert.Equal(("Alice A.", "/bin/zsh", "/home/alice"), (entry.Gecos, entry.Shell, entry.Home));
    }
}
