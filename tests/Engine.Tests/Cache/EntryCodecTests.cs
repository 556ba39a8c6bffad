using System.Text.Json;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using static OpenBastion.Engine.Tests.Cache.CacheTestData;

namespace OpenBastion.Engine.Tests.Cache;

public class EntryCodecTests
{
    [Fact]
    public void Reads_the_open_bastion_0_6_vector()
    {
        var outcome = EntryCodec.Decode(VectorLocator.EntryBytes(), VectorLocator.Key, "alice");

        var e = Assert.IsType<ReadOutcome.Found>(outcome).Entry;
        Assert.Equal(1, e.Version);
        Assert.Equal("alice", e.User);
        Assert.Equal(1795356719, e.CreatedAt);
        Assert.Equal(1795443119, e.ExpiresAt);
        Assert.Equal(1795356719, e.LastSuccess);
        Assert.Equal(1, e.FailedAttempts);
        Assert.Equal(0, e.LockedUntil);
        Assert.Equal("Alice Liddell", e.Gecos);
        Assert.Equal("/bin/bash", e.Shell);
        Assert.Equal("/home/alice", e.Home);
        Assert.Equal(Convert.FromBase64String("UN2mfHSHFzpO8LeMlsc7cU6DmgAuM5gxLRUdy/R6IU0="), e.PasswordHash);
        Assert.Equal(Convert.FromBase64String("SHaJrsEVKWbzhsG+p7helg=="), e.Salt);
        Assert.Null(e.Parameters);
        Assert.Equal(Argon2Parameters.Legacy, e.EffectiveParameters);
    }

    [Fact]
    public void The_vector_under_a_wrong_key_is_an_authentication_failure()
    {
        var wrong = (byte[])VectorLocator.Key.Clone();
        wrong[0] ^= 1;
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(VectorLocator.EntryBytes(), wrong, "alice"));
    }

    [Fact]
    public void The_vector_read_for_another_user_is_a_mismatch()
    {
        AssertFailure(ReadFailure.UserMismatch, EntryCodec.Decode(VectorLocator.EntryBytes(), VectorLocator.Key, "bob"));
        var any = Assert.IsType<ReadOutcome.Found>(EntryCodec.DecodeAnyUser(VectorLocator.EntryBytes(), VectorLocator.Key));
        Assert.Equal("alice", any.Entry.User);
    }

    [Fact]
    public void Round_trips_with_parameters()
    {
        var entry = Entry(parameters: new Argon2Parameters(65536, 3, 4));
        var decoded = Assert.IsType<ReadOutcome.Found>(EntryCodec.Decode(EntryCodec.Encode(entry, Key), Key, "bob")).Entry;
        AssertSame(entry, decoded);
        Assert.Equal(new Argon2Parameters(65536, 3, 4), decoded.Parameters);
    }

    [Fact]
    public void Round_trips_without_parameters_or_attributes()
    {
        var entry = Entry() with { Gecos = null, Shell = null, Home = null, FailedAttempts = 0, LockedUntil = 0 };
        var decoded = Assert.IsType<ReadOutcome.Found>(EntryCodec.Decode(EntryCodec.Encode(entry, Key), Key, "bob")).Entry;
        AssertSame(entry, decoded);
        Assert.Null(decoded.Parameters);
        Assert.Null(decoded.Gecos);
    }

    [Fact]
    public void Writes_the_open_bastion_layout_and_field_names()
    {
        var file = EntryCodec.Encode(Entry(parameters: new Argon2Parameters(1024, 2, 2)), Key);
        Assert.Equal("OBCRED01"u8.ToArray(), file[..8]);

        // Decrypted by the BCL, independently of the codec.
        using var doc = JsonDocument.Parse(Open(file));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(new[] { "argon2_m", "argon2_p", "argon2_t", "created_at", "expires_at", "failed_attempts", "gecos",
            "home", "last_success", "locked_until", "password_hash", "salt", "shell", "user", "v" }, names);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal(Convert.ToBase64String(Entry().Salt), root.GetProperty("salt").GetString());
        Assert.Equal(1024, root.GetProperty("argon2_m").GetInt32());
        Assert.Equal(1_800_000_300, root.GetProperty("locked_until").GetInt64());

        var withoutParameters = Open(EntryCodec.Encode(Entry(), Key));
        Assert.DoesNotContain("argon2", withoutParameters);
    }

    [Fact]
    public void Each_encoding_uses_a_fresh_nonce()
    {
        var a = EntryCodec.Encode(Entry(), Key);
        var b = EntryCodec.Encode(Entry(), Key);
        Assert.NotEqual(a[8..20], b[8..20]);
    }

    [Fact]
    public void Accepts_json_c_escaped_slashes_and_ignores_unknown_fields()
    {
        var file = Seal(Json(extra: ", \"future\": {\"x\": [1, 2]}, \"note\": \"a\\/b\""));
        var e = Assert.IsType<ReadOutcome.Found>(EntryCodec.Decode(file, Key, "bob")).Entry;
        Assert.Equal("/bin/sh", e.Shell);
        Assert.Equal("/home/bob", e.Home);
    }

    [Fact]
    public void Wrong_magic_is_refused()
    {
        var file = EntryCodec.Encode(Entry(), Key);
        file[0] = (byte)'X';
        AssertFailure(ReadFailure.BadMagic, EntryCodec.Decode(file, Key, "bob"));
        AssertFailure(ReadFailure.BadMagic, EntryCodec.Decode("{\"v\":1}"u8, Key, "bob"));
        AssertFailure(ReadFailure.BadMagic, EntryCodec.Decode("OBCRED02"u8.ToArray().Concat(new byte[40]).ToArray(), Key, "bob"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    [InlineData(20)]
    [InlineData(35)]
    public void Truncated_files_are_refused(int length)
    {
        var file = EntryCodec.Encode(Entry(), Key);
        AssertFailure(ReadFailure.Truncated, EntryCodec.Decode(file.AsSpan(0, length), Key, "bob"));
    }

    [Fact]
    public void A_file_cut_inside_the_ciphertext_fails_authentication()
    {
        var file = EntryCodec.Encode(Entry(), Key);
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(file.AsSpan(0, file.Length - 1), Key, "bob"));
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(file.AsSpan(0, 36), Key, "bob"));
    }

    [Fact]
    public void Oversize_files_are_refused()
    {
        var file = new byte[EntryCodec.MaxFileSize + 1];
        "OBCRED01"u8.CopyTo(file);
        AssertFailure(ReadFailure.Oversize, EntryCodec.Decode(file, Key, "bob"));
    }

    [Theory]
    [InlineData(9)]   // nonce
    [InlineData(25)]  // ciphertext
    [InlineData(-1)]  // tag
    public void Tampered_bytes_fail_authentication(int index)
    {
        var file = EntryCodec.Encode(Entry(), Key);
        file[index < 0 ? file.Length + index : index] ^= 0x40;
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(file, Key, "bob"));
    }

    [Fact]
    public void A_wrong_key_fails_authentication()
    {
        var file = EntryCodec.Encode(Entry(), Key);
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(file, OtherKey, "bob"));
        AssertFailure(ReadFailure.AuthenticationFailed, EntryCodec.Decode(file, Key.AsSpan(0, 16), "bob"));
    }

    [Fact]
    public void Another_users_entry_is_a_mismatch()
    {
        var file = EntryCodec.Encode(Entry("mallory"), Key);
        AssertFailure(ReadFailure.UserMismatch, EntryCodec.Decode(file, Key, "bob"));
        AssertFailure(ReadFailure.UserMismatch, EntryCodec.Decode(file, Key, "Mallory"));
    }

    public static TheoryData<string> BadPayloads() => new()
    {
        "not json at all",
        "[1, 2, 3]",
        "\"just a string\"",
        "{ \"v\": 1 }",
        Json().Replace("\"user\": \"bob\"", "\"user\": 42"),
        Json().Replace("\"user\": \"bob\", ", ""),
        Json().Replace("\"v\": 1", "\"v\": 2"),
        Json().Replace("\"v\": 1", "\"v\": \"1\""),
        Json().Replace("\"created_at\": 1795356719", "\"created_at\": \"1795356719\""),
        Json().Replace("\"expires_at\": 1795443119", "\"expires_at\": 1.5"),
        Json().Replace("\"expires_at\": 1795443119, ", ""),
        Json().Replace(ValidHash, "UN2mfHSHFzpO8LeMlsc7cU6DmgAuM5gxLRUdy\\/R6IQ=="),  // 31 bytes
        Json().Replace(ValidHash, "not base64!"),
        Json().Replace(ValidSalt, "SHaJrsEVKWbzhsG+p7he"),                            // 15 bytes
        Json().Replace("\"salt\": \"" + ValidSalt + "\", ", ""),
        Json().Replace("\"password_hash\": \"" + ValidHash + "\"", "\"password_hash\": null"),
        Json().Replace("\"failed_attempts\": 0", "\"failed_attempts\": -1"),
        Json().Replace("\"failed_attempts\": 0", "\"failed_attempts\": 99999999999"),
        Json().Replace("\"gecos\": \"B\"", "\"gecos\": 7"),
        Json(extra: ", \"user\": \"bob\""),                                           // duplicate field
        Json(extra: ", \"argon2_m\": 65536"),                                          // incomplete parameters
        Json(extra: ", \"argon2_m\": 65536, \"argon2_t\": 3, \"argon2_p\": 0"),
        Json(extra: ", \"argon2_m\": 1099511627776, \"argon2_t\": 3, \"argon2_p\": 1"),
        Json(extra: ", \"argon2_m\": 65536, \"argon2_t\": \"3\", \"argon2_p\": 1"),
        Json().TrimEnd('}', ' '),                                                      // cut JSON
        Json() + " trailing",
    };

    [Theory]
    [MemberData(nameof(BadPayloads))]
    public void Bad_payloads_are_refused(string json) =>
        AssertFailure(ReadFailure.BadPayload, EntryCodec.Decode(Seal(json), Key, "bob"));

    [Fact]
    public void The_good_payload_used_by_the_bad_cases_is_accepted() =>
        Assert.IsType<ReadOutcome.Found>(EntryCodec.Decode(Seal(Json()), Key, "bob"));

    [Fact]
    public void Invalid_utf8_payload_is_refused() =>
        AssertFailure(ReadFailure.BadPayload, EntryCodec.Decode(Seal([0x7b, 0xff, 0xfe, 0x7d]), Key, "bob"));

    [Fact]
    public void Random_bytes_never_throw_and_are_never_found()
    {
        var rng = new Random(1234);
        var valid = EntryCodec.Encode(Entry(), Key);
        for (var i = 0; i < 1000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[rng.Next(0, 300)];
                rng.NextBytes(input);
                if (i % 4 == 0 && input.Length >= 8) "OBCRED01"u8.CopyTo(input);
            }
            else
            {
                input = (byte[])valid.Clone();
                input[rng.Next(input.Length)] ^= (byte)(1 << rng.Next(8));
            }
            Assert.IsType<ReadOutcome.Unreadable>(EntryCodec.Decode(input, Key, "bob"));
            Assert.IsType<ReadOutcome.Unreadable>(EntryCodec.DecodeAnyUser(input, Key));
        }
    }

    [Fact]
    public void Encode_refuses_what_no_reader_would_accept()
    {
        Assert.Throws<ArgumentException>(() => EntryCodec.Encode(Entry(), new byte[16]));
        Assert.Throws<ArgumentException>(() => EntryCodec.Encode(Entry() with { Version = 2 }, Key));
        Assert.Throws<ArgumentException>(() => EntryCodec.Encode(Entry() with { Salt = new byte[8] }, Key));
        Assert.Throws<ArgumentException>(() => EntryCodec.Encode(Entry() with { PasswordHash = new byte[64] }, Key));
        Assert.Throws<ArgumentException>(() => EntryCodec.Encode(Entry() with { Gecos = new string('x', EntryCodec.MaxFileSize) }, Key));
    }

    private static void AssertFailure(ReadFailure expected, ReadOutcome outcome)
    {
        var u = Assert.IsType<ReadOutcome.Unreadable>(outcome);
        Assert.Equal(expected, u.Failure);
        Assert.False(string.IsNullOrWhiteSpace(u.Detail));
    }

    internal static void AssertSame(CredentialEntry expected, CredentialEntry actual)
    {
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.User, actual.User);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.ExpiresAt, actual.ExpiresAt);
        Assert.Equal(expected.LastSuccess, actual.LastSuccess);
        Assert.Equal(expected.FailedAttempts, actual.FailedAttempts);
        Assert.Equal(expected.LockedUntil, actual.LockedUntil);
        Assert.Equal(expected.PasswordHash, actual.PasswordHash);
        Assert.Equal(expected.Salt, actual.Salt);
        Assert.Equal(expected.Gecos, actual.Gecos);
        Assert.Equal(expected.Shell, actual.Shell);
        Assert.Equal(expected.Home, actual.Home);
        Assert.Equal(expected.Parameters, actual.Parameters);
    }
}
