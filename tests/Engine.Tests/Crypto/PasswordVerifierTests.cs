using System.Security.Cryptography;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Tests.Cache;

namespace OpenBastion.Engine.Tests.Crypto;

public class PasswordVerifierTests
{
    private static readonly Argon2Parameters Cheap = new(1024, 1, 1);
    private static readonly Argon2Parameters CheapTwoLanes = new(2048, 2, 2);

    private static CredentialEntry EntryFor((byte[] Hash, byte[] Salt) v, Argon2Parameters? p) =>
        new() { User = "bob", PasswordHash = v.Hash, Salt = v.Salt, Parameters = p };

    [Fact]
    public void Verifies_the_open_bastion_vector_with_its_recorded_parameters()
    {
        var entry = Assert.IsType<ReadOutcome.Found>(EntryCodec.Decode(VectorLocator.EntryBytes(), VectorLocator.Key, "alice")).Entry;
        var verifier = new PasswordVerifier();
        using var right = Secret.FromString(VectorLocator.Password);
        using var wrong = Secret.FromString("Correct horse battery staple");
        Assert.True(verifier.Verify(right, entry));
        Assert.False(verifier.Verify(wrong, entry));
    }

    [Theory]
    [MemberData(nameof(ParameterSets))]
    public void A_new_verifier_accepts_its_password_and_only_it(int m, int t, int p)
    {
        var parameters = new Argon2Parameters(m, t, p);
        var verifier = new PasswordVerifier();
        using var pw = Secret.FromString("s3cret-é");
        using var other = Secret.FromString("s3cret-e");

        var v = Argon2HasherSelector.Default.CreateVerifier(pw, parameters);

        Assert.Equal(32, v.Hash.Length);
        Assert.Equal(16, v.Salt.Length);
        var entry = EntryFor(v, parameters);
        Assert.True(verifier.Verify(pw, entry));
        Assert.False(verifier.Verify(other, entry));
    }

    public static TheoryData<int, int, int> ParameterSets() => new() { { 1024, 1, 1 }, { 2048, 2, 2 }, { 4096, 1, 4 } };

    [Fact]
    public void Each_verifier_gets_a_fresh_salt()
    {
        var verifier = new PasswordVerifier();
        using var pw = Secret.FromString("same");
        var a = Argon2HasherSelector.Default.CreateVerifier(pw, Cheap);
        var b = Argon2HasherSelector.Default.CreateVerifier(pw, Cheap);
        Assert.NotEqual(a.Salt, b.Salt);
        Assert.NotEqual(a.Hash, b.Hash);
    }

    [Fact]
    public void Verification_uses_the_entrys_own_parameters()
    {
        var verifier = new PasswordVerifier();
        using var pw = Secret.FromString("pw");
        var v = Argon2HasherSelector.Default.CreateVerifier(pw, CheapTwoLanes);

        Assert.True(verifier.Verify(pw, EntryFor(v, CheapTwoLanes)));
        Assert.False(verifier.Verify(pw, EntryFor(v, CheapTwoLanes with { Parallelism = 1 })));
        Assert.False(verifier.Verify(pw, EntryFor(v, null))); // would be the legacy m=64MiB,t=3,p=1

        var recording = new RecordingHasher();
        new PasswordVerifier(recording).Verify(pw, EntryFor(v, CheapTwoLanes));
        Assert.Equal(CheapTwoLanes, Assert.Single(recording.Calls));
        new PasswordVerifier(recording).Verify(pw, EntryFor(v, null));
        Assert.Equal(Argon2Parameters.Legacy, recording.Calls[^1]);
    }

    [Fact]
    public void A_verifier_made_by_one_implementation_is_accepted_by_the_other()
    {
        using var pw = Secret.FromString("interop");
        var v = SodiumArgon2Hasher.Instance.CreateVerifier(pw, Cheap);
        Assert.True(new PasswordVerifier(KonsciousArgon2Hasher.Instance).Verify(pw, EntryFor(v, Cheap)));
    }

    [Fact]
    public void The_dummy_verification_does_one_hash_with_the_given_parameters_and_never_succeeds()
    {
        var recording = new RecordingHasher();
        using var pw = Secret.FromString("anything");

        Assert.False(new PasswordVerifier(recording).DummyVerify(pw, CheapTwoLanes));

        Assert.Equal(CheapTwoLanes, Assert.Single(recording.Calls));
        Assert.False(new PasswordVerifier().DummyVerify(pw, Cheap));
    }

    [Fact]
    public void An_empty_password_never_verifies()
    {
        var verifier = new PasswordVerifier();
        using var empty = new Secret(ReadOnlySpan<byte>.Empty);
        using var standIn = new Secret([0]);
        var v = Argon2HasherSelector.Default.CreateVerifier(standIn, CheapTwoLanes);

        Assert.False(verifier.Verify(empty, EntryFor(v, CheapTwoLanes))); // same work as the stand-in, still refused
        Assert.True(verifier.Verify(standIn, EntryFor(v, CheapTwoLanes)));
        Assert.False(verifier.DummyVerify(empty, CheapTwoLanes));
    }

    /// <summary>Real hashing, remembering the parameters of each call.</summary>
    private sealed class RecordingHasher : IPasswordHasher
    {
        public List<Argon2Parameters> Calls { get; } = [];

        public byte[] Hash(ReadOnlySpan<byte> password, ReadOnlySpan<byte> salt, Argon2Parameters parameters)
        {
            Calls.Add(parameters);
            return parameters == Argon2Parameters.Legacy
                ? RandomNumberGenerator.GetBytes(32) // skip the 64 MiB work: only the call matters here
                : Argon2HasherSelector.Default.Hash(password, salt, parameters);
        }
    }
}
