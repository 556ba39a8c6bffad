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

public sealed class HashingGateSheddingTests
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly CountingHasher _hasher = new();

    private DateTimeOffset In(double seconds) => _time.GetUtcNow().AddSeconds(seconds);

    [Fact]
    public async Task A_job_that_cannot_finish_by_its_deadline_behind_the_queue_is_shed_at_once()
    {
        using var gate = new HashingGate(_hasher, 1, _time);
        _hasher.DuringHash = () => _time.Advance(TimeSpan.FromSeconds(1)); // every hash "takes" 1 s
        Assert.IsType<HashOutcome.Computed>(await gate.HashAsync("a"u8, new byte[16], Argon2Parameters.Default, In(100)));
        Assert.Equal(TimeSpan.FromSeconds(1), gate.AverageJobDuration);

        _hasher.Hold();
        var running = gate.VerifyAsync("b"u8, new byte[16], new byte[32], Argon2Parameters.Default, In(100));
        SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10));
        var queued = gate.VerifyAsync("c"u8, new byte[16], new byte[32], Argon2Parameters.Default, In(10));   // 1 s of own work: fits
        var hopeless = gate.VerifyAsync("d"u8, new byte[16], new byte[32], Argon2Parameters.Default, In(1.5)); // 1 queued + own: 2 s > 1.5 s
        var fits = gate.VerifyAsync("e"u8, new byte[16], new byte[32], Argon2Parameters.Default, In(2.5));     // 2 s ≤ 2.5 s

        Assert.True(hopeless.IsCompleted); // answered at enqueue, never queued
        Assert.Same(HashOutcome.Overloaded.Instance, await hopeless);
        Assert.Equal(1, gate.Shed);
        Assert.Equal(2, gate.Queued);
        _hasher.Release();
        Assert.IsType<HashOutcome.Checked>(await running);
        Assert.IsType<HashOutcome.Checked>(await queued);
        Assert.IsType<HashOutcome.Checked>(await fits);
        Assert.Equal(4, _hasher.Calls);
    }

    [Fact]
    public async Task Before_any_job_was_measured_nothing_is_shed_by_estimate_and_late_jobs_are_still_skipped()
    {
        using var gate = new HashingGate(_hasher, 1, _time);
        _hasher.Hold();
        var first = gate.HashAsync("a"u8, new byte[16], Argon2Parameters.Default, In(5));
        SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10));
        var late = gate.HashAsync("b"u8, new byte[16], Argon2Parameters.Default, In(0.001));
        Assert.False(late.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        _hasher.Release();
        Assert.IsType<HashOutcome.Computed>(await first);
        Assert.Same(HashOutcome.DeadlinePassed.Instance, await late);
        Assert.Equal(0, gate.Shed);
    }

    [Fact]
    public async Task Jobs_without_a_deadline_such_as_verifier_refreshes_still_respect_the_bound()
    {
        using var gate = new HashingGate(_hasher, 1, _time, queueBound: 1);
        _hasher.Hold();
        var running = gate.HashAsync("a"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue);
        SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10));
        var queued = gate.HashAsync("b"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue);
        var over = gate.HashAsync("c"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue);
        Assert.Same(HashOutcome.Overloaded.Instance, await over);
        Assert.Equal(1, gate.Shed);
        _hasher.Release();
        Assert.IsType<HashOutcome.Computed>(await running);
        Assert.IsType<HashOutcome.Computed>(await queued);
    }
}
