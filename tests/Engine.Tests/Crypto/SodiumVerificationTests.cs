using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Tests.Crypto;

/// <summary>
/// libsodium checks verifiers of any lane count (the default p = 4 included) against hashes computed by the
/// reference C implementation (Debian's argon2 CLI) and by Konscious.
/// </summary>
public class SodiumVerificationTests
{
    private static readonly byte[] CliSalt = "somesalt16bytes!"u8.ToArray();
    private static readonly byte[] VectorSalt = Convert.FromBase64String("SHaJrsEVKWbzhsG+p7helg==");
    private static readonly byte[] VectorHash = Convert.FromBase64String("UN2mfHSHFzpO8LeMlsc7cU6DmgAuM5gxLRUdy/R6IU0=");

    // echo -n 'pw' | argon2 somesalt16bytes! -id -t 3 -m 16 -p 4 -l 32 -r   (Debian argon2 CLI)
    private static readonly byte[] CliDefaultHash = Convert.FromHexString("84c5d8d727f791773c4d13be41ce0fa49f1078fb0acf72d60bfc65d7a8f509a8");

    [Fact]
    public void The_default_four_lane_verifier_of_the_reference_cli_matches()
    {
        Assert.True(SodiumArgon2Hasher.Instance.Matches("pw"u8, CliSalt, CliDefaultHash, Argon2Parameters.Default));
        Assert.False(SodiumArgon2Hasher.Instance.Matches("pW"u8, CliSalt, CliDefaultHash, Argon2Parameters.Default));
    }

    [Fact]
    public void The_open_bastion_vector_matches() =>
        Assert.True(SodiumArgon2Hasher.Instance.Matches("correct horse battery staple"u8, VectorSalt, VectorHash, Argon2Parameters.Legacy));

    // Same CLI as Argon2HasherTests: -t 2 -m 12 -p 4 ; -t 1 -m 10 -p 2 ; 'pässwörd' with a 20-byte salt, -t 2 -m 11 -p 3
    [Theory]
    [InlineData("pw", "somesalt16bytes!", 4096, 2, 4, "fa7d68f6c136eea702067b7f63b7b59935e8ec3597441a546fd2759df5c32535")]
    [InlineData("pw", "somesalt16bytes!", 1024, 1, 2, "c199d8af640cf9a5d5793e66488065a054f4af1a8670a1aa9da904c5e77402c3")]
    [InlineData("pässwörd", "a 20-byte salt here!", 2048, 2, 3, "19a77b0acb3e5ef8ff2c62ae352ea0dc174613569c653e5f52db1d9b754628fa")]
    public void Reference_verifiers_with_several_lanes_match_and_any_changed_byte_does_not(string password, string salt, int m, int t, int p, string hex)
    {
        var pw = Encoding.UTF8.GetBytes(password);
        var s = Encoding.UTF8.GetBytes(salt);
        var expected = Convert.FromHexString(hex);
        var parameters = new Argon2Parameters(m, t, p);
        Assert.True(SodiumArgon2Hasher.Instance.Matches(pw, s, expected, parameters));
        Assert.True(Argon2HasherSelector.Default.Matches(pw, s, expected, parameters));

        var otherHash = (byte[])expected.Clone();
        otherHash[^1] ^= 1;
        Assert.False(SodiumArgon2Hasher.Instance.Matches(pw, s, otherHash, parameters));
        var otherSalt = (byte[])s.Clone();
        otherSalt[0] ^= 1;
        Assert.False(SodiumArgon2Hasher.Instance.Matches(pw, otherSalt, expected, parameters));
        Assert.False(SodiumArgon2Hasher.Instance.Matches(pw, s, expected, parameters with { Iterations = t + 1 }));
        Assert.False(SodiumArgon2Hasher.Instance.Matches(pw, s, expected, parameters with { Parallelism = p + 1 }));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(7)]
    public void Konscious_verifiers_match_for_any_lane_count(int lanes)
    {
        var parameters = new Argon2Parameters(1024 * lanes, 2, lanes);
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = KonsciousArgon2Hasher.Instance.Hash("ünïcödé ✓"u8, salt, parameters);
        Assert.True(SodiumArgon2Hasher.Instance.Matches("ünïcödé ✓"u8, salt, hash, parameters));
        Assert.False(SodiumArgon2Hasher.Instance.Matches("ünïcödé ✗"u8, salt, hash, parameters));
    }

    [Fact]
    public void An_empty_password_is_checked_like_any_other() =>
        Assert.False(SodiumArgon2Hasher.Instance.Matches(ReadOnlySpan<byte>.Empty, CliSalt, CliDefaultHash, new Argon2Parameters(1024, 1, 4)));

    [Fact]
    public void The_selector_checks_every_entry_shape_with_libsodium()
    {
        var selector = Argon2HasherSelector.Default;
        Assert.Same(SodiumArgon2Hasher.Instance, selector.VerifierFor(Argon2Parameters.Default, 16, 32));
        Assert.Same(SodiumArgon2Hasher.Instance, selector.VerifierFor(Argon2Parameters.Legacy, 16, 32));
        Assert.Same(SodiumArgon2Hasher.Instance, selector.VerifierFor(new Argon2Parameters(2048, 1, 3), 20, 32));
        // Below Argon2's own minimums libsodium cannot decode the verifier: Konscious checks it.
        Assert.Same(KonsciousArgon2Hasher.Instance, selector.VerifierFor(Argon2Parameters.Default, 4, 32));
        Assert.Same(KonsciousArgon2Hasher.Instance, selector.VerifierFor(Argon2Parameters.Default, 16, 8));
    }

    [Fact]
    public void A_verifier_libsodium_cannot_use_is_an_error_never_a_mismatch()
    {
        // A mismatch could count towards a lockout; a verifier libsodium cannot decode must not.
        Assert.Throws<CryptographicException>(() => SodiumArgon2Verify.CheckEncoded("garbage\0"u8, "pw"u8));
        Assert.Throws<CryptographicException>(() => SodiumArgon2Verify.CheckEncoded("$argon2id$v=19$m=1024,t=1,p=4$c29tZQ$CCiebrFaSzq9CSwgbq1PdWlVuC9vsaIa34fQ7Codlcc\0"u8, "pw"u8));
        Assert.Throws<ArgumentException>(() => SodiumArgon2Verify.CheckEncoded("no terminator"u8, "pw"u8));
        Assert.Throws<ArgumentException>(() => SodiumArgon2Hasher.Instance.Matches("pw"u8, new byte[4], CliDefaultHash, Argon2Parameters.Default));
        Assert.Throws<ArgumentOutOfRangeException>(() => SodiumArgon2Hasher.Instance.Matches("pw"u8, CliSalt, CliDefaultHash, new Argon2Parameters(1024, 0, 1)) ? 1 : 0);
    }
}
