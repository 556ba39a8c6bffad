using BenchmarkDotNet.Attributes;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Bench.Micro;

/// <summary>One Argon2id verification per implementation and parameter set (one invocation per iteration).</summary>
public class VerifierBenchmarks
{
    public static IEnumerable<string> Cases =>
    [
        "engine m=65536,t=3,p=4",
        "libsodium m=65536,t=3,p=4",
        "konscious m=65536,t=3,p=4",
        "konscious m=65536,t=3,p=1",
        "libsodium m=65536,t=3,p=1",
    ];

    private PasswordVerifier _verifier = null!;
    private Secret _password = null!;
    private CredentialEntry _entry = null!;

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var (impl, parameters) = Parse(Case);
        _verifier = new PasswordVerifier(impl);
        _password = Secret.FromString("correct horse battery staple");
        // Created by the engine (libsodium cannot compute p > 1), checked by the implementation measured.
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(_password, parameters);
        _entry = new CredentialEntry { User = "bench", PasswordHash = hash, Salt = salt, Parameters = parameters };
    }

    [GlobalCleanup]
    public void Cleanup() => _password.Dispose();

    [Benchmark]
    public bool Verify() => _verifier.Verify(_password, _entry);

    private static (IPasswordHasher, Argon2Parameters) Parse(string name)
    {
        var parameters = name.EndsWith("p=4", StringComparison.Ordinal) ? Argon2Parameters.Default : Argon2Parameters.Legacy;
        IPasswordHasher hasher = name.Split(' ')[0] switch
        {
            "engine" => Argon2HasherSelector.Default,
            "konscious" => KonsciousArgon2Hasher.Instance,
            _ => SodiumArgon2Hasher.Instance,
        };
        return (hasher, parameters);
    }
}
