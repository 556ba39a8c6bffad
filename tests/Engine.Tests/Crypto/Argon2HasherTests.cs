using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Tests.Crypto;

public class Argon2HasherTests
{
    private static readonly byte[] VectorPassword = "correct horse battery staple"u8.ToArray();
    private static readonly byte[] VectorSalt = Convert.FromBase64String("SHaJrsEVKWbzhsG+p7helg==");
    private static readonly byte[] VectorHash = Convert.FromBase64String("UN2mfHSHFzpO8LeMlsc7cU6DmgAuM5gxLRUdy/R6IU0=");
    private static readonly byte[] CliSalt = "somesalt16bytes!"u8.ToArray();

    [Fact]
    public void Sodium_matches_the_open_bastion_vector() =>
        Assert.Equal(VectorHash, SodiumArgon2Hasher.Instance.Hash(VectorPassword, VectorSalt, Argon2Parameters.Legacy));

    [Fact]
    public void Konscious_matches_the_open_bastion_vector() =>
        Assert.Equal(VectorHash, KonsciousArgon2Hasher.Instance.Hash(VectorPassword, VectorSalt, Argon2Parameters.Legacy));

    // echo -n 'pw' | argon2 somesalt16bytes! -id -t 3 -m 16 -p 4 -l 32 -r   (Debian argon2 CLI, the reference C code)
    [Fact]
    public void Konscious_with_default_parameters_matches_the_reference_cli() =>
        Assert.Equal(Convert.FromHexString("84c5d8d727f791773c4d13be41ce0fa49f1078fb0acf72d60bfc65d7a8f509a8"),
            KonsciousArgon2Hasher.Instance.Hash("pw"u8, CliSalt, Argon2Parameters.Default));

    // Same CLI: -t 2 -m 12 -p 4 ; -t 1 -m 10 -p 2 ; password 'pässwörd', salt 'a 20-byte salt here!', -t 2 -m 11 -p 3
    [Theory]
    [InlineData("pw", "somesalt16bytes!", 4096, 2, 4, "fa7d68f6c136eea702067b7f63b7b59935e8ec3597441a546fd2759df5c32535")]
    [InlineData("pw", "somesalt16bytes!", 1024, 1, 2, "c199d8af640cf9a5d5793e66488065a054f4af1a8670a1aa9da904c5e77402c3")]
    [InlineData("pässwörd", "a 20-byte salt here!", 2048, 2, 3, "19a77b0acb3e5ef8ff2c62ae352ea0dc174613569c653e5f52db1d9b754628fa")]
    public void Konscious_with_several_lanes_matches_the_reference_cli(string password, string salt, int m, int t, int p, string hex)
    {
        var hash = KonsciousArgon2Hasher.Instance.Hash(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), new Argon2Parameters(m, t, p));
        Assert.Equal(Convert.FromHexString(hex), hash);
        Assert.Equal(hash, Argon2HasherSelector.Default.Hash(Encoding.UTF8.GetBytes(password), Encoding.UTF8.GetBytes(salt), new Argon2Parameters(m, t, p)));
    }

    [Theory]
    [InlineData("x", 1024, 1)]
    [InlineData("pw", 1024, 3)]
    [InlineData("correct horse battery staple", 4096, 2)]
    [InlineData("ünïcödé ✓ password", 8192, 1)]
    public void Both_implementations_agree_for_one_lane(string password, int m, int t)
    {
        var pw = Encoding.UTF8.GetBytes(password);
        var parameters = new Argon2Parameters(m, t, 1);
        var sodium = SodiumArgon2Hasher.Instance.Hash(pw, VectorSalt, parameters);
        var konscious = KonsciousArgon2Hasher.Instance.Hash(pw, VectorSalt, parameters);
        Assert.Equal(32, sodium.Length);
        Assert.Equal(konscious, sodium);
    }

    [Fact]
    public void Different_salts_or_parameters_give_different_hashes()
    {
        var p = new Argon2Parameters(1024, 1, 1);
        var a = SodiumArgon2Hasher.Instance.Hash("pw"u8, VectorSalt, p);
        var b = SodiumArgon2Hasher.Instance.Hash("pw"u8, CliSalt, p);
        var c = SodiumArgon2Hasher.Instance.Hash("pw"u8, VectorSalt, p with { Iterations = 2 });
        Assert.NotEqual(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void An_empty_password_is_hashed_by_libsodium_and_refused_by_konscious()
    {
        Assert.Equal(32, SodiumArgon2Hasher.Instance.Hash(ReadOnlySpan<byte>.Empty, VectorSalt, new Argon2Parameters(1024, 1, 1)).Length);
        Assert.Throws<ArgumentException>(() => KonsciousArgon2Hasher.Instance.Hash(ReadOnlySpan<byte>.Empty, VectorSalt, new Argon2Parameters(1024, 1, 2)));
    }

    [Fact]
    public void The_selector_uses_libsodium_only_where_it_applies()
    {
        var selector = Argon2HasherSelector.Default;
        Assert.Same(SodiumArgon2Hasher.Instance, selector.For(Argon2Parameters.Legacy, 16));
        Assert.Same(KonsciousArgon2Hasher.Instance, selector.For(Argon2Parameters.Default, 16));
        Assert.Same(KonsciousArgon2Hasher.Instance, selector.For(Argon2Parameters.Legacy, 20));
    }

    [Fact]
    public void Libsodium_refuses_what_it_cannot_compute()
    {
        Assert.Throws<ArgumentException>(() => SodiumArgon2Hasher.Instance.Hash("pw"u8, CliSalt, new Argon2Parameters(1024, 1, 2)));
        Assert.Throws<ArgumentException>(() => SodiumArgon2Hasher.Instance.Hash("pw"u8, new byte[20], new Argon2Parameters(1024, 1, 1)));
    }

    [Theory]
    [InlineData(1024, 0, 1)]
    [InlineData(1024, 1, 0)]
    [InlineData(7, 1, 1)]
    [InlineData(31, 1, 4)]
    [InlineData(Argon2Bounds.MaxMemoryKiB + 1, 1, 1)]
    [InlineData(1024, Argon2Bounds.MaxIterations + 1, 1)]
    public void Out_of_range_parameters_are_refused_before_any_work(int m, int t, int p)
    {
        var parameters = new Argon2Parameters(m, t, p);
        Assert.False(Argon2Bounds.IsValid(parameters));
        Assert.Throws<ArgumentOutOfRangeException>(() => KonsciousArgon2Hasher.Instance.Hash("pw"u8, CliSalt, parameters));
        Assert.Throws<ArgumentOutOfRangeException>(() => SodiumArgon2Hasher.Instance.Hash("pw"u8, CliSalt, parameters));
    }
}
