using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench.Micro;

/// <summary>The encrypted entry codec (JSON + AES-256-GCM) and the store (atomic write with fsync, read).</summary>
public class EntryBenchmarks
{
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(EntryCodec.KeySize);
    private CredentialEntry _entry = null!;
    private byte[] _encoded = null!;
    private string _directory = null!;
    private CredentialStore _store = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        _entry = new CredentialEntry
        {
            User = "benchuser", CreatedAt = now, ExpiresAt = now + 86400, LastSuccess = now,
            PasswordHash = RandomNumberGenerator.GetBytes(Argon2Parameters.HashLength),
            Salt = RandomNumberGenerator.GetBytes(Argon2Parameters.SaltLength),
            Gecos = "Bench User", Shell = "/bin/bash", Home = "/home/benchuser", Parameters = Argon2Parameters.Default,
        };
        _encoded = EntryCodec.Encode(_entry, _key);
        _directory = Path.Combine(Path.GetTempPath(), "obactors-bench-store-" + Environment.ProcessId);
        _store = new CredentialStore(_directory, _key, TimeProvider.System);
        _store.Write(_entry);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Benchmark]
    public byte[] CodecEncode() => EntryCodec.Encode(_entry, _key);

    [Benchmark]
    public ReadOutcome CodecDecode() => EntryCodec.Decode(_encoded, _key, "benchuser");

    [Benchmark]
    public void StoreWrite() => _store.Write(_entry);

    [Benchmark]
    public ReadOutcome StoreRead() => _store.Read("benchuser");
}
