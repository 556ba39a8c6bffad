using OpenBastion.Wire;

using OpenBastion.Engine;

namespace OpenBastion.Wire.Tests;

public class FrameParserTests
{
    private static FrameError ErrorOf(byte[] body) => FrameParser.Parse(body).Error;

    [Fact]
    public void A_valid_request_parses() =>
        Assert.Equal(FrameError.None, ErrorOf(RawFrame.Request().ToBody()));

    [Fact]
    public void Empty_or_oversize_body_is_too_large()
    {
        Assert.Equal(FrameError.TooLarge, ErrorOf([]));
        Assert.Equal(FrameError.TooLarge, ErrorOf(new byte[BridgeProtocol.MaxBody + 1]));
    }

    [Fact]
    public void A_body_of_one_byte_is_malformed() => Assert.Equal(FrameError.Malformed, ErrorOf([1]));

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void Another_version_is_bad_version(byte version) =>
        Assert.Equal(FrameError.BadVersion, ErrorOf(RawFrame.Body(version, 0x01).ToBody()));

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x03)]
    [InlineData(0x0F)]
    [InlineData(0x12)]
    [InlineData(0x7E)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void An_unknown_type_is_bad_type(byte type)
    {
        var result = FrameParser.Parse(RawFrame.Body(1, type).Raw(0, 0, 0).ToBody());
        Assert.Equal(FrameError.BadType, result.Error);
        Assert.Equal(BridgeErrorCode.BadType, result.ReplyCode);
    }

    [Fact]
    public void A_trailing_byte_is_malformed()
    {
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Request().U8(0).ToBody()));
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Response().U8(0).ToBody()));
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Body(1, 0x7F).U16(3).Str("x").U8(0).ToBody()));
    }

    [Fact]
    public void Every_proper_prefix_of_a_request_is_malformed()
    {
        var body = RawFrame.Request().ToBody();
        for (var cut = 2; cut < body.Length; cut++)
            Assert.Equal(FrameError.Malformed, ErrorOf(body[..cut]));
    }

    [Fact]
    public void Every_proper_prefix_of_a_response_is_malformed()
    {
        var body = RawFrame.Response(message: "m", gecos: "g", shell: "s", home: "h").ToBody();
        for (var cut = 2; cut < body.Length; cut++)
            Assert.Equal(FrameError.Malformed, ErrorOf(body[..cut]));
    }

    [Fact]
    public void A_string_length_past_the_end_is_malformed()
    {
        // user announces 200 bytes but only 5 follow.
        var body = RawFrame.Body(1, 0x01).U8(1).U32(1000).U16(200).Raw("alice"u8.ToArray()).ToBody();
        Assert.Equal(FrameError.Malformed, ErrorOf(body));
    }

    public static TheoryData<string, int, bool> Limits() => new()
    {
        { "user", BridgeProtocol.MaxUser, true }, { "user", BridgeProtocol.MaxUser + 1, false },
        { "password", BridgeProtocol.MaxPassword, true }, { "password", BridgeProtocol.MaxPassword + 1, false },
        { "service", BridgeProtocol.MaxService, true }, { "service", BridgeProtocol.MaxService + 1, false },
        { "rhost", BridgeProtocol.MaxRemoteHost, true }, { "rhost", BridgeProtocol.MaxRemoteHost + 1, false },
        { "tty", BridgeProtocol.MaxTty, true }, { "tty", BridgeProtocol.MaxTty + 1, false },
    };

    [Theory]
    [MemberData(nameof(Limits))]
    public void Request_string_limits_hold_at_the_exact_boundary(string field, int length, bool ok)
    {
        var v = new string('x', length);
        var body = field switch
        {
            "user" => RawFrame.Request(user: v),
            "password" => RawFrame.Request(password: v),
            "service" => RawFrame.Request(service: v),
            "rhost" => RawFrame.Request(rhost: v),
            _ => RawFrame.Request(tty: v),
        };
        var result = FrameParser.Parse(body.ToBody());
        Assert.Equal(ok ? FrameError.None : FrameError.Malformed, result.Error);
        (result.Frame as IDisposable)?.Dispose();
    }

    public static TheoryData<string, int, bool> ResponseLimits() => new()
    {
        { "message", BridgeProtocol.MaxMessage, true }, { "message", BridgeProtocol.MaxMessage + 1, false },
        { "gecos", BridgeProtocol.MaxGecos, true }, { "gecos", BridgeProtocol.MaxGecos + 1, false },
        { "shell", BridgeProtocol.MaxShell, true }, { "shell", BridgeProtocol.MaxShell + 1, false },
        { "home", BridgeProtocol.MaxHome, true }, { "home", BridgeProtocol.MaxHome + 1, false },
    };

    [Theory]
    [MemberData(nameof(ResponseLimits))]
    public void Response_string_limits_hold_at_the_exact_boundary(string field, int length, bool ok)
    {
        var v = new string('x', length);
        var body = field switch
        {
            "message" => RawFrame.Response(message: v),
            "gecos" => RawFrame.Response(gecos: v),
            "shell" => RawFrame.Response(shell: v),
            _ => RawFrame.Response(home: v),
        };
        Assert.Equal(ok ? FrameError.None : FrameError.Malformed, ErrorOf(body.ToBody()));
    }

    [Theory]
    [InlineData(BridgeProtocol.MaxMessage, FrameError.None)]
    [InlineData(BridgeProtocol.MaxMessage + 1, FrameError.Malformed)]
    public void Error_message_limit_holds_at_the_exact_boundary(int length, FrameError expected) =>
        Assert.Equal(expected, ErrorOf(RawFrame.Body(1, 0x7F).U16(3).Str(new string('e', length)).ToBody()));

    [Fact]
    public void Limits_are_counted_in_bytes_not_characters()
    {
        // 128 two-byte characters = 256 bytes: fits; 129 = 258 bytes: does not.
        Assert.Equal(FrameError.None, ErrorOf(RawFrame.Request(user: new string('é', 128)).ToBody()));
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Request(user: new string('é', 129)).ToBody()));
    }

    [Fact]
    public void An_empty_user_is_malformed() =>
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Request(user: "").ToBody()));

    [Theory]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]       // NUL
    [InlineData(new byte[] { 0xC3 })]                   // truncated sequence
    [InlineData(new byte[] { 0xFF, 0xFE })]             // never valid
    [InlineData(new byte[] { 0xC0, 0xAF })]             // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]       // UTF-16 surrogate
    public void Invalid_text_is_malformed_in_any_string(byte[] bad)
    {
        var inUser = RawFrame.Body(1, 0x01).U8(1).U32(1).Bytes(bad).Str("pw").Str("").Str("").Str("");
        var inPassword = RawFrame.Body(1, 0x01).U8(1).U32(1).Str("alice").Bytes(bad).Str("").Str("").Str("");
        var inTty = RawFrame.Body(1, 0x01).U8(1).U32(1).Str("alice").Str("pw").Str("").Str("").Bytes(bad);
        var inMessage = RawFrame.Body(1, 0x02).U8(0).U8(0).U32(0).Bytes(bad).Str("").Str("").Str("");
        var inHome = RawFrame.Body(1, 0x02).U8(0).U8(0).U32(0).Str("").Str("").Str("").Bytes(bad);
        foreach (var body in new[] { inUser, inPassword, inTty, inMessage, inHome })
            Assert.Equal(FrameError.Malformed, ErrorOf(body.ToBody()));
    }

    [Theory]
    [InlineData(0x02)]
    [InlineData(0x80)]
    [InlineData(0xFF)]
    public void Reserved_flag_bits_are_malformed(byte flags)
    {
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Request(flags: flags).ToBody()));
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Response(flags: flags).ToBody()));
    }

    [Theory]
    [InlineData(9)]
    [InlineData(255)]
    public void An_unknown_status_is_malformed(byte status) =>
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Response(status: status).ToBody()));

    [Theory]
    [InlineData(0)]
    [InlineData(8)]
    [InlineData(0xFFFF)]
    public void An_unknown_error_code_is_malformed(int code) =>
        Assert.Equal(FrameError.Malformed, ErrorOf(RawFrame.Body(1, 0x7F).U16(code).Str("").ToBody()));

    [Fact]
    public void Flags_bit0_means_allow_offline_and_offline()
    {
        using var on = Assert.IsType<AuthRequestFrame>(FrameParser.Parse(RawFrame.Request(flags: 1).ToBody()).Frame);
        using var off = Assert.IsType<AuthRequestFrame>(FrameParser.Parse(RawFrame.Request(flags: 0).ToBody()).Frame);
        Assert.True(on.AllowOffline);
        Assert.False(off.AllowOffline);
        var offline = Assert.IsType<AuthResponseFrame>(FrameParser.Parse(RawFrame.Response(flags: 1, seconds: 7).ToBody()).Frame);
        Assert.True(offline.Offline);
        Assert.Equal(7u, offline.Seconds);
    }

    [Fact]
    public void Reply_codes_follow_the_protocol()
    {
        Assert.Equal(BridgeErrorCode.TooLarge, FrameResult.Failed(FrameError.TooLarge).ReplyCode);
        Assert.Equal(BridgeErrorCode.BadVersion, FrameResult.Failed(FrameError.BadVersion).ReplyCode);
        Assert.Equal(BridgeErrorCode.Malformed, FrameResult.Failed(FrameError.Malformed).ReplyCode);
        Assert.Equal(BridgeErrorCode.Malformed, FrameResult.Failed(FrameError.Truncated).ReplyCode);
        Assert.Null(FrameResult.Failed(FrameError.EndOfStream).ReplyCode);
    }
}

/// <summary>An ADMIN_REQUEST's payload (an auth's password) is not left in memory (issue 10 item 7).</summary>
public class ReservedFramePayloadTests
{
    [Fact]
    public void Disposing_a_parsed_admin_request_zeroes_its_payload()
    {
        using var request = new AdminRequest(AdminCommand.Auth, ["alice"], Secret.FromString("hunter2"));
        var encoded = AdminCodec.EncodeRequest(request);
        var body = new byte[] { BridgeProtocol.Version, (byte)FrameType.AdminRequest }.Concat(encoded.Payload.ToArray()).ToArray();

        var frame = Assert.IsType<AdminFrame>(FrameParser.Parse(body).Frame);
        Assert.Contains("hunter2", System.Text.Encoding.UTF8.GetString(frame.Payload.Span));
        frame.Dispose();

        Assert.True(frame.Payload.Length > 0);
        Assert.All(frame.Payload.ToArray(), b => Assert.Equal(0, b));
        Assert.Contains("hunter2", System.Text.Encoding.UTF8.GetString(body)); // the caller's buffer is the caller's (the reader zeroes its own)
        encoded.Dispose();
        Assert.All(encoded.Payload.ToArray(), b => Assert.Equal(0, b));
    }
}
