using System.Security.Cryptography;
using System.Threading.Channels;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Actors.Hashing;

/// <summary>
/// Runs Argon2id off the actor threads, at most <see cref="Workers"/> at once (DESIGN §3.6): a queue
/// drained by that many dedicated threads. Memory stays bounded in a login storm because only the
/// workers hold Argon2 memory; a queued job holds a copy of the password (zeroed after use), and
/// each user actor has at most one job queued. A job whose deadline has passed is not hashed.
/// </summary>
public sealed class HashingGate : IDisposable
{
    private readonly IPasswordHasher _hasher;
    private readonly PasswordVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Thread[] _threads;
    private int _queued;

    public HashingGate(IPasswordHasher hasher, int workers, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        _hasher = hasher;
        _verifier = new PasswordVerifier(hasher);
        _time = time;
        Workers = workers;
        _threads = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _threads[i] = new Thread(Drain) { IsBackground = true, Name = $"obactors-hash-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>How many hashes may run at once.</summary>
    public int Workers { get; }

    /// <summary>Jobs waiting for a worker (not counting the ones running).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// A new verifier: hashes <paramref name="password"/> (copied; the caller may zero its own buffer at
    /// once) under <paramref name="salt"/> unless <paramref name="deadline"/> has passed when a worker
    /// takes the job. Answers <see cref="HashOutcome.Computed"/>.
    /// </summary>
    public Task<HashOutcome> HashAsync(ReadOnlySpan<byte> password, byte[] salt, Argon2Parameters parameters, DateTimeOffset deadline) =>
        Enqueue(password, deadline, pw =>
            new HashOutcome.Computed(_hasher.Hash(PasswordVerifier.HashInput(pw), salt, parameters), CanMatch: pw.Length != 0));

    /// <summary>
    /// Checks <paramref name="password"/> (copied) against a verifier unless <paramref name="deadline"/>
    /// has passed when a worker takes the job. Answers <see cref="HashOutcome.Checked"/>.
    /// </summary>
    public Task<HashOutcome> VerifyAsync(ReadOnlySpan<byte> password, byte[] salt, byte[] expected, Argon2Parameters parameters, DateTimeOffset deadline) =>
        Enqueue(password, deadline, pw => _verifier.Verify(pw, salt, expected, parameters) ? HashOutcome.Checked.Match : HashOutcome.Checked.Mismatch);

    /// <summary>
    /// The work of a failed verification, for a user without an entry, so that "not cached" costs what a
    /// wrong password does. Answers <see cref="HashOutcome.Checked"/> (never a match).
    /// </summary>
    public Task<HashOutcome> DummyVerifyAsync(ReadOnlySpan<byte> password, Argon2Parameters parameters, DateTimeOffset deadline) =>
        Enqueue(password, deadline, pw => _verifier.DummyVerify(pw, parameters) ? HashOutcome.Checked.Match : HashOutcome.Checked.Mismatch);

    private Task<HashOutcome> Enqueue(ReadOnlySpan<byte> password, DateTimeOffset deadline, Func<byte[], HashOutcome> work)
    {
        var job = new Job(password.ToArray(), work, deadline,
            new TaskCompletionSource<HashOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        Interlocked.Increment(ref _queued);
        if (!_queue.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _queued);
            job.Dispose();
            job.Completion.SetException(new ObjectDisposedException(nameof(HashingGate)));
        }
        return job.Completion.Task;
    }

    private void Drain()
    {
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var job))
            {
                Interlocked.Decrement(ref _queued);
                Run(job);
            }
        }
    }

    private void Run(Job job)
    {
        try
        {
            if (_time.GetUtcNow() >= job.Deadline)
            {
                job.Completion.SetResult(HashOutcome.DeadlinePassed.Instance);
                return;
            }
            job.Completion.SetResult(job.Work(job.Password));
        }
        catch (Exception ex)
        {
            job.Completion.SetException(ex);
        }
        finally
        {
            job.Dispose();
        }
    }

    /// <summary>Stops accepting jobs; jobs still queued are answered "deadline passed"; running ones finish.</summary>
    public void Dispose()
    {
        if (!_queue.Writer.TryComplete()) return;
        while (_queue.Reader.TryRead(out var job))
        {
            Interlocked.Decrement(ref _queued);
            job.Completion.TrySetResult(HashOutcome.DeadlinePassed.Instance);
            job.Dispose();
        }
    }

    private sealed record Job(byte[] Password, Func<byte[], HashOutcome> Work, DateTimeOffset Deadline,
        TaskCompletionSource<HashOutcome> Completion) : IDisposable
    {
        public void Dispose() => CryptographicOperations.ZeroMemory(Password);
        public override string ToString() => $"HashJob(deadline {Deadline:O})";
    }
}
