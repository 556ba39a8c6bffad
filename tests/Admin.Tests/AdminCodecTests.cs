using System.Text;
using OpenBastion.Engine;
using OpenBastion.Wire;

namespace OpenBastion.Admin.Tests;

/// <summary>The ADMIN_REQUEST / ADMIN_RESPONSE payloads of docs/PROTOCOL.md §3.4.</summary>
public sealed class AdminCodecTests
{
    [Fact]
    public void A_request_has_the_documented_bytes_and_round_trips()
    {
        var frame = AdminCodec.EncodeRequest(AdminRequest.Of(AdminCommand.Unlock, "bob"));
        Assert.Equal(
            Convert.FromHexString("0000000801100600036" + "26f62"),
            FrameWriter.Encode(frame));
        var decoded = AdminCodec.DecodeRequest(frame)!;
        Assert.Equal(AdminCommand.Unlock, decoded.Command);
        Assert.Equal(["bob"], decoded.Arguments);
    }

    [Fact]
    public void Auth_carries_the_password_as_a_secret_that_is_never_printed()
    {
        using var request = new AdminRequest(AdminCommand.Auth, ["alice"], Secret.FromString("hunter2"));
        var frame = AdminCodec.EncodeRequest(request);
        using var decoded = AdminCodec.DecodeRequest(frame)!;
        Assert.Equal("alice", decoded.User);
        Assert.Equal("hunter2", decoded.Password!.Reveal());
        Assert.DoesNotContain("hunter2", decoded.ToString());
    }

    [Theory]
    [InlineData("")]             // no command
    [InlineData("00")]           // unknown command 0
    [InlineData("63")]           // unknown command 99
    [InlineData("03")]           // show without its user
    [InlineData("0300016101")]   // show with a trailing byte
    [InlineData("01000161")]     // list takes no argument
    [InlineData("030002c328")]   // invalid UTF-8
    [InlineData("0300026100")]   // NUL in the user
    public void Requests_that_do_not_parse_exactly_are_refused(string hex)
    {
        Assert.Null(AdminCodec.DecodeRequest(new AdminFrame(FrameType.AdminRequest, Convert.FromHexString(hex))));
    }

    [Fact]
    public void A_user_over_256_bytes_is_refused()
    {
        var user = new string('u', 257);
        var payload = new byte[] { (byte)AdminCommand.Show, 0x01, 0x01 }.Concat(Encoding.UTF8.GetBytes(user)).ToArray();
        Assert.Null(AdminCodec.DecodeRequest(new AdminFrame(FrameType.AdminRequest, payload)));
    }

    [Fact]
    public void A_response_has_the_documented_bytes()
    {
        var frames = AdminCodec.EncodeResponse(AdminStatus.NotFound, "{}");
        var frame = Assert.Single(frames);
        Assert.Equal(Convert.FromHexString("0000000801110100" + "00027b7d"), FrameWriter.Encode(frame));
        Assert.Equal(new AdminResponse(AdminStatus.NotFound, "{}", false), AdminCodec.DecodeResponse(frame));
    }

    [Fact]
    public void A_long_response_is_split_on_character_boundaries_into_frames_within_the_body_limit()
    {
        var text = string.Concat(Enumerable.Repeat("é€😀x", 4000)); // 10 bytes per repetition, 40 000 bytes
        var frames = AdminCodec.EncodeResponse(AdminStatus.Ok, text);
        Assert.True(frames.Count >= 5);
        var joined = new StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var bytes = FrameWriter.Encode(frames[i]);
            Assert.True(bytes.Length - BridgeProtocol.HeaderSize <= BridgeProtocol.MaxBody);
            var parsed = FrameParser.Parse(bytes.AsSpan(BridgeProtocol.HeaderSize));
            var response = AdminCodec.DecodeResponse(Assert.IsType<AdminFrame>(parsed.Frame))!;
            Assert.Equal(i < frames.Count - 1, response.More);
            joined.Append(response.Text);
        }
        Assert.Equal(text, joined.ToString());
    }

    [Theory]
    [InlineData("09000000")]   // unknown status
    [InlineData("00020000")]   // reserved flag bit
    [InlineData("0000000261")] // text past the end
    [InlineData("000000006100")] // trailing bytes
    public void Responses_that_do_not_parse_exactly_are_refused(string hex)
    {
        Assert.Null(AdminCodec.DecodeResponse(new AdminFrame(FrameType.AdminResponse, Convert.FromHexString(hex))));
    }
}
