using System.Security.Cryptography;
using System.Threading.Channels;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// Runs Argon2id off the actor threads, at most <see cref="Workers"/> at once (DESIGN §3.6): a queue
/// drained by that many dedicated threads. Memory stays bounded in a login storm because only the
/// workers hold Argon2 memory, and the queue holds at most <see cref="QueueBound"/> jobs (each a copy
/// of the password, zeroed after use).
/// Load is shed at enqueue (issue 10): a job over the bound, or one that cannot finish by its deadline
/// given the work queued ahead of it (running average of job durations × queued jobs ÷ workers, plus
/// its own duration), is answered <see cref="HashOutcome.Overloaded"/> at once and never queued;
/// <see cref="Shed"/> counts them. A job whose deadline has passed when a worker takes it is not hashed.
/// </summary>
public sealed class HashingGate : IDisposable
{
    /// <summary>Weight of the newest duration in the running average (an exponential moving average).</summary>
    private const double AverageWeight = 0.2;

    private readonly IPasswordHasher _hasher;
    private readonly PasswordVerifier _verifier;
    private readonly TimeProvider _time;
    private readonly Channel<Job> _queue = Channel.CreateUnbounded<Job>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Thread[] _threads;
    private readonly object _averageLock = new();
    private double _averageTicks; // 0 until the first job has been measured (then no estimate-based shedding)
    private int _queued;
    private long _shed;

    /// <param name="hasher">The Argon2id implementation.</param>
    /// <param name="workers">Hashes at once (threads).</param>
    /// <param name="time">Deadlines (GetUtcNow) and job durations (GetTimestamp).</param>
    /// <param name="queueBound">Jobs that may wait for a worker; 0 = unbounded (tests of other things only).</param>
    public HashingGate(IPasswordHasher hasher, int workers, TimeProvider time, int queueBound = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(queueBound);
        _hasher = hasher;
        _verifier = new PasswordVerifier(hasher);
        _time = time;
        Workers = workers;
        QueueBound = queueBound == 0 ? int.MaxValue : queueBound;
        _threads = new Thread[workers];
        for (var i = 0; i < workers; i++)
        {
            _threads[i] = new Thread(Drain) { IsBackground = true, Name = $"obactors-hash-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>How many hashes may run at once.</summary>
    public int Workers { get; }

    /// <summary>How many jobs may wait for a worker.</summary>
    public int QueueBound { get; }

    /// <summary>Jobs waiting for a worker (not counting the ones running).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>Jobs refused at enqueue (<see cref="HashOutcome.Overloaded"/>) since start.</summary>
    public long Shed => Interlocked.Read(ref _shed);

    /// <summary>The running average of a job's duration; zero before the first job finished.</summary>
    public TimeSpan AverageJobDuration
    {
        get { lock (_averageLock) return TimeSpan.FromTicks((long)_averageTicks); }
    }

    /// <summary>
    /// A new verifier: hashes <paramref name="password"/> (copied; the caller may zero its own buffer at
    /// once) under <paramref name="salt"/> unless <paramref name="deadline"/> has passed when a worker
    /// takes the job. Answers <see cref="HashOutcome.Computed"/> (or Overloaded / DeadlinePassed).
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
        // Reserve a place first, so that concurrent callers can never push the queue past its bound.
        var ahead = Interlocked.Increment(ref _queued) - 1;
        if (ahead >= QueueBound || !CanFinishInTime(ahead, deadline))
        {
            Interlocked.Decrement(ref _queued);
            Interlocked.Increment(ref _shed);
            return Task.FromResult<HashOutcome>(HashOutcome.Overloaded.Instance);
        }
        var job = new Job(password.ToArray(), work, deadline,
            new TaskCompletionSource<HashOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref _queued);
            job.Dispose();
            job.Completion.SetException(new ObjectDisposedException(nameof(HashingGate)));
        }
        return job.Completion.Task;
    }

    /// <summary>
    /// Whether a job with <paramref name="ahead"/> jobs queued before it can finish by its deadline: it
    /// starts after about average × ahead ÷ workers and then runs for about average. Unknown before the
    /// first job has been measured (then it is admitted, and the deadline is checked when it starts).
    /// </summary>
    private bool CanFinishInTime(int ahead, DateTimeOffset deadline)
    {
        if (deadline == DateTimeOffset.MaxValue) return true;
        double average;
        lock (_averageLock) average = _averageTicks;
        if (average <= 0) return true;
        var estimate = TimeSpan.FromTicks((long)Math.Min(average * ((double)ahead / Workers + 1), TimeSpan.MaxValue.Ticks / 2.0));
        var now = _time.GetUtcNow();
        return deadline - now >= estimate;
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
            var started = _time.GetTimestamp();
            var outcome = job.Work(job.Password);
            Record(_time.GetElapsedTime(started));
            job.Completion.SetResult(outcome);
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

    private void Record(TimeSpan duration)
    {
        lock (_averageLock)
        {
            _averageTicks = _averageTicks <= 0
                ? duration.Ticks
                : (1 - AverageWeight) * _averageTicks + AverageWeight * duration.Ticks;
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
