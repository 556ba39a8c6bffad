using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.TestSupport;

/// <summary>
/// A fast stand-in for Argon2id (SHA-256 of parameters, salt and password) that counts calls, tracks
/// how many run at once, can be held on a gate to create contention, and can be told to fail.
/// </summary>
public sealed class CountingHasher : IPasswordHasher
{
    private readonly ManualResetEventSlim _gate = new(true);
    private int _calls;
    private int _inFlight;
    private int _maxInFlight;
    private int _failNext;

    public int Calls => Volatile.Read(ref _calls);
    public int InFlight => Volatile.Read(ref _inFlight);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Runs inside every hash, after the hold (e.g. to move a fake clock by the hash's "duration").</summary>
    public Action? DuringHash { get; set; }

    public void Hold() => _gate.Reset();
    public void Release() => _gate.Set();
    public void FailNext(int count = 1) => Interlocked.Exchange(ref _failNext, count);

    public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
    {
        Interlocked.Increment(ref _calls);
        var now = Interlocked.Increment(ref _inFlight);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxInFlight)) && Interlocked.CompareExchange(ref _maxInFlight, now, seen) != seen) { }
        try
        {
            _gate.Wait(TimeSpan.FromSeconds(30));
            DuringHash?.Invoke();
            if (Interlocked.Decrement(ref _failNext) >= 0) throw new CryptographicException("injected hashing failure");
            // Like Konscious (the engine's p > 1 implementation), refuse an empty password.
            if (password.IsEmpty) throw new ArgumentException("empty password", nameof(password));
            return Compute(password, salt, parameters);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public static byte[] Compute(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
    {
        var p = Encoding.UTF8.GetBytes(parameters.ToString());
        return SHA256.HashData([.. p, .. salt, .. password]);
    }
}
