using System.Text;
using OpenBastion.Engine.Cache;
using static OpenBastion.Engine.Tests.Cache.CacheTestData;

namespace OpenBastion.Engine.Tests.Cache;

/// <summary>
/// Inputs found by the entry fuzz target (tests/fuzz, corpus/entry/crash-*): a payload holding bytes that
/// are not UTF-8 inside a JSON string, or an escaped lone surrogate (<c>\ud800</c>), made
/// <see cref="EntryJson.TryRead"/> throw (System.Text.Json checks a string only when it is read)
/// instead of refusing it.
/// </summary>
public class EntryJsonFuzzRegressionTests
{
    /// <summary>The JSON of <see cref="Json"/> with one placeholder character replaced by a raw byte.</summary>
    private static byte[] WithRawByte(string json, char placeholder, byte raw)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var at = Array.IndexOf(bytes, (byte)placeholder);
        Assert.True(at >= 0);
        bytes[at] = raw;
        return bytes;
    }

    public static TheoryData<string, byte> NotUtf8 => new()
    {
        { Json("zf6~"), 0x9a },                              // the user (a required string)
        { Json().Replace("\\/home\\/bob", "\\/~"), 0x84 },  // the home (optional, after an escape)
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void A_string_that_is_not_utf8_is_refused_not_thrown(string json, byte raw)
    {
        var payload = WithRawByte(json, '~', raw);

        var parsed = EntryJson.TryRead(payload, out var entry, out var problem);

        Assert.False(parsed);
        Assert.Null(entry);
        Assert.Contains("UTF-8", problem);
    }

    [Fact]
    public void A_sealed_entry_with_bytes_that_are_not_utf8_is_a_bad_payload_that_says_so()
    {
        var payload = WithRawByte(Json("zf6~"), '~', 0x9a);

        var outcome = EntryCodec.DecodeAnyUser(Seal(payload), Key);

        var unreadable = Assert.IsType<ReadOutcome.Unreadable>(outcome);
        Assert.Equal(ReadFailure.BadPayload, unreadable.Failure);
        Assert.Contains("UTF-8", unreadable.Detail);
    }

    public static TheoryData<string> LoneSurrogate => new()
    {
        Json("bob\\ud800"),                                    // the user: a high surrogate alone
        Json().Replace("\"gecos\": \"B\"", "\"gecos\": \"\\udc00B\""),  // the gecos: a low surrogate alone
    };

    [Theory]
    [MemberData(nameof(LoneSurrogate))]
    public void An_escaped_lone_surrogate_is_refused_not_thrown(string json)
    {
        var parsed = EntryJson.TryRead(Encoding.UTF8.GetBytes(json), out var entry, out var problem);

        Assert.False(parsed);
        Assert.Null(entry);
        Assert.Contains("not valid text", problem);
    }

    [Fact]
    public void A_property_name_with_an_escaped_lone_surrogate_is_refused_not_thrown()
    {
        // JsonDocument.Parse unescapes property names to look for duplicates, and throws
        // InvalidOperationException (not JsonException) on a lone surrogate there.
        var json = Json().Replace("\"created_at\"", "\"\\ud800created_at\"");

        var parsed = EntryJson.TryRead(Encoding.UTF8.GetBytes(json), out var entry, out var problem);

        Assert.False(parsed);
        Assert.Null(entry);
        Assert.NotNull(problem);
    }
}
