using OpenBastion.Actors.Hashing;
using OpenBastion.Actors.Protocol;
using OpenBastion.Actors.Tests.Doubles;
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
    public async Task The_gate_copies_the_password_and_skips_late_jobs()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var hasher = new CountingHasher();
        using var gate = new HashingGate(hasher, 1, time);
        var password = "secret"u8.ToArray();
        hasher.Hold();
        var first = gate.HashAsync(password, new byte[16], Argon2Parameters.Default, time.GetUtcNow().AddSeconds(5));
        var second = gate.HashAsync(password, new byte[16], Argon2Parameters.Default, time.GetUtcNow().AddSeconds(5));
        Array.Clear(password); // the caller zeroes its buffer at once
        SpinWait.SpinUntil(() => hasher.InFlight == 1, TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(6));
        hasher.Release();
        var computed = Assert.IsType<HashOutcome.Computed>(await first);
        Assert.Equal(CountingHasher.Compute("secret"u8, new byte[16], Argon2Parameters.Default), computed.Hash);
        Assert.Same(HashOutcome.DeadlinePassed.Instance, await second);
        Assert.Equal(1, hasher.Calls);
    }

    [Fact]
    public async Task The_gate_checks_verifiers_and_never_matches_an_empty_password_or_a_dummy()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UnixEpoch);
        var hasher = new CountingHasher();
        using var gate = new HashingGate(hasher, 1, time);
        var deadline = time.GetUtcNow().AddSeconds(5);
        var salt = new byte[16];
        var stored = CountingHasher.Compute("secret"u8, salt, Argon2Parameters.Default);
        Assert.Equal(HashOutcome.Checked.Match, await gate.VerifyAsync("secret"u8, salt, stored, Argon2Parameters.Default, deadline));
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.VerifyAsync("Secret"u8, salt, stored, Argon2Parameters.Default, deadline));
        // An empty password costs a hash (of a stand-in) and never matches, even a verifier of that stand-in.
        var standIn = CountingHasher.Compute(PasswordVerifier.HashInput([]), salt, Argon2Parameters.Default);
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.VerifyAsync([], salt, standIn, Argon2Parameters.Default, deadline));
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.DummyVerifyAsync("secret"u8, Argon2Parameters.Default, deadline));
        Assert.Equal(4, hasher.Calls);
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
