using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Tests.Crypto;

/// <summary>
/// DESIGN §3.6 and issue 10 §7: hashing off the caller's threads on a bounded queue; the password is
/// copied, late jobs are skipped, and a job that cannot finish by its deadline is shed at enqueue.
/// </summary>
public sealed class HashingGateTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
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
        Assert.True(SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10)));
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
        Assert.True(SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10)));
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
        Assert.True(SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10)));
        var queued = gate.HashAsync("b"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue);
        var over = gate.HashAsync("c"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue);
        Assert.Same(HashOutcome.Overloaded.Instance, await over);
        Assert.Equal(1, gate.Shed);
        _hasher.Release();
        Assert.IsType<HashOutcome.Computed>(await running);
        Assert.IsType<HashOutcome.Computed>(await queued);
    }

    [Fact]
    public async Task The_gate_copies_the_password_and_skips_late_jobs()
    {
        using var gate = new HashingGate(_hasher, 1, _time);
        var password = "secret"u8.ToArray();
        _hasher.Hold();
        var first = gate.HashAsync(password, new byte[16], Argon2Parameters.Default, _time.GetUtcNow().AddSeconds(5));
        var second = gate.HashAsync(password, new byte[16], Argon2Parameters.Default, _time.GetUtcNow().AddSeconds(5));
        Array.Clear(password); // the caller zeroes its buffer at once
        Assert.True(SpinWait.SpinUntil(() => _hasher.InFlight == 1, TimeSpan.FromSeconds(10)));
        _time.Advance(TimeSpan.FromSeconds(6));
        _hasher.Release();
        var computed = Assert.IsType<HashOutcome.Computed>(await first);
        Assert.Equal(CountingHasher.Compute("secret"u8, new byte[16], Argon2Parameters.Default), computed.Hash);
        Assert.Same(HashOutcome.DeadlinePassed.Instance, await second);
        Assert.Equal(1, _hasher.Calls);
    }

    [Fact]
    public async Task The_gate_checks_verifiers_and_never_matches_an_empty_password_or_a_dummy()
    {
        using var gate = new HashingGate(_hasher, 1, _time);
        var deadline = _time.GetUtcNow().AddSeconds(5);
        var salt = new byte[16];
        var stored = CountingHasher.Compute("secret"u8, salt, Argon2Parameters.Default);
        Assert.Equal(HashOutcome.Checked.Match, await gate.VerifyAsync("secret"u8, salt, stored, Argon2Parameters.Default, deadline));
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.VerifyAsync("Secret"u8, salt, stored, Argon2Parameters.Default, deadline));
        // An empty password costs a hash (of a stand-in) and never matches, even a verifier of that stand-in.
        var standIn = CountingHasher.Compute(PasswordVerifier.HashInput([]), salt, Argon2Parameters.Default);
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.VerifyAsync([], salt, standIn, Argon2Parameters.Default, deadline));
        Assert.Equal(HashOutcome.Checked.Mismatch, await gate.DummyVerifyAsync("secret"u8, Argon2Parameters.Default, deadline));
        Assert.Equal(4, _hasher.Calls);
    }

    [Fact]
    public async Task An_empty_password_costs_a_hash_of_its_stand_in_and_gets_no_usable_verifier()
    {
        using var gate = new HashingGate(_hasher, 1, _time);
        var computed = Assert.IsType<HashOutcome.Computed>(await gate.HashAsync([], new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue));
        Assert.False(computed.CanMatch);
        Assert.Equal(CountingHasher.Compute(PasswordVerifier.HashInput([]), new byte[16], Argon2Parameters.Default), computed.Hash);
        Assert.True(Assert.IsType<HashOutcome.Computed>(await gate.HashAsync("a"u8, new byte[16], Argon2Parameters.Default, DateTimeOffset.MaxValue)).CanMatch);
        Assert.Equal(2, _hasher.Calls);
    }
}
