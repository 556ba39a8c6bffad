using System.Text;
using OpenBastion.Wire;

using OpenBastion.Engine;

namespace OpenBastion.Wire.Tests;

public class FrameRoundTripTests
{
    private static BridgeFrame RoundTrip(BridgeFrame frame)
    {
        var bytes = FrameWriter.Encode(frame);
        var length = (bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
        Assert.Equal(bytes.Length - BridgeProtocol.HeaderSize, length);
        var result = FrameParser.Parse(bytes.AsSpan(BridgeProtocol.HeaderSize));
        Assert.Equal(FrameError.None, result.Error);
        return result.Frame!;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Auth_request_round_trips(bool allowOffline)
    {
        using var sent = new AuthRequestFrame("älice", Secret.FromString("pässwörd 🔑"), "sshd", "192.0.2.7", "ssh",
            allowOffline, 10_000);

        using var got = Assert.IsType<AuthRequestFrame>(RoundTrip(sent));

        Assert.Equal("älice", got.User);
        Assert.Equal("pässwörd 🔑", got.Password.Reveal());
        Assert.Equal("sshd", got.Service);
        Assert.Equal("192.0.2.7", got.RemoteHost);
        Assert.Equal("ssh", got.Tty);
        Assert.Equal(allowOffline, got.AllowOffline);
        Assert.Equal(10_000u, got.TimeoutMs);
        Assert.Equal(TimeSpan.FromSeconds(10), got.Timeout);
    }

    [Fact]
    public void Auth_request_with_empty_optional_fields_and_password_round_trips()
    {
        using var sent = new AuthRequestFrame("bob", Secret.FromString(""), "", "", "", false, uint.MaxValue);
        using var got = Assert.IsType<AuthRequestFrame>(RoundTrip(sent));
        Assert.Equal(0, got.Password.Length);
        Assert.Equal(("", "", ""), (got.Service, got.RemoteHost, got.Tty));
        Assert.Equal(uint.MaxValue, got.TimeoutMs);
    }

    public static TheoryData<BridgeStatus> Statuses() => new(Enum.GetValues<BridgeStatus>());

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Auth_response_round_trips_every_status(BridgeStatus status)
    {
        var sent = new AuthResponseFrame(status, status == BridgeStatus.Success, 21_600, "ok", "Alice,,,", "/bin/bash", "/home/alice");
        Assert.Equal(sent, RoundTrip(sent));
    }

    public static TheoryData<BridgeErrorCode> Codes() => new(Enum.GetValues<BridgeErrorCode>());

    [Theory]
    [MemberData(nameof(Codes))]
    public void Error_round_trips_every_code(BridgeErrorCode code)
    {
        var sent = new ErrorFrame(code, "frame refused");
        Assert.Equal(sent, RoundTrip(sent));
    }

    [Theory]
    [InlineData(FrameType.AdminRequest)]
    [InlineData(FrameType.AdminResponse)]
    public void Reserved_admin_frames_round_trip_with_their_payload_opaque(FrameType type)
    {
        var sent = new AdminFrame(type, new byte[] { 3, 0, 5, (byte)'a', (byte)'l', (byte)'i', (byte)'c', (byte)'e' });
        var got = Assert.IsType<AdminFrame>(RoundTrip(sent));
        Assert.Equal(type, got.Type);
        Assert.Equal(sent.Payload.ToArray(), got.Payload.ToArray());
    }

    [Fact]
    public void Encoding_matches_the_hex_examples_of_docs_PROTOCOL_md()
    {
        using var request = new AuthRequestFrame("alice", Secret.FromString("pw"), "sshd", "192.0.2.7", "pts/0", true, 10_000);
        Assert.Equal(
            "0000002a010101000027100005616c6963650002707700047373686400093139322e302e322e3700057074732f30",
            Hex(FrameWriter.Encode(request)));

        var success = new AuthResponseFrame(BridgeStatus.Success, true, 21_600, "", "Alice", "/bin/bash", "/home/alice");
        Assert.Equal(
            "00000029010200010000546000000005416c69636500092f62696e2f62617368000b2f686f6d652f616c696365",
            Hex(FrameWriter.Encode(success)));

        var locked = new AuthResponseFrame(BridgeStatus.Locked, true, 120, "locked");
        Assert.Equal("00000016010202010000007800066c6f636b6564000000000000", Hex(FrameWriter.Encode(locked)));

        var error = new ErrorFrame(BridgeErrorCode.TooLarge, "frame too large");
        Assert.Equal("00000015017f0004000f6672616d6520746f6f206c61726765", Hex(FrameWriter.Encode(error)));

        // And they parse back.
        Assert.Equal(locked, FrameParser.Parse(FrameWriter.Encode(locked).AsSpan(4)).Frame);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    [Fact]
    public async Task Writer_and_reader_agree_over_a_stream()
    {
        using var stream = new MemoryStream();
        using (var request = new AuthRequestFrame("alice", Secret.FromString("pw"), "login", "", "tty1", true, 5000))
            await FrameWriter.WriteAsync(stream, request, CancellationToken.None);
        await FrameWriter.WriteAsync(stream, new ErrorFrame(BridgeErrorCode.ShuttingDown, "bye"), CancellationToken.None);
        stream.Position = 0;

        var first = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        var second = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        var third = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);

        using var req = Assert.IsType<AuthRequestFrame>(first.Frame);
        Assert.Equal("tty1", req.Tty);
        Assert.Equal(new ErrorFrame(BridgeErrorCode.ShuttingDown, "bye"), second.Frame);
        Assert.Equal(FrameError.EndOfStream, third.Error);
        Assert.Null(third.ReplyCode);
    }

    [Fact]
    public void Request_ToString_never_shows_the_password()
    {
        using var request = new AuthRequestFrame("alice", Secret.FromString("hunter2-unique"), "sshd", "h", "t", true, 1);
        var text = request.ToString();
        Assert.DoesNotContain("hunter2-unique", text);
        Assert.Contains("alice", text);
        Assert.Contains("sshd", text);
    }

    [Fact]
    public void Disposing_the_request_zeroes_its_password()
    {
        var password = Secret.FromString("pw");
        var request = new AuthRequestFrame("alice", password, "sshd", "", "", true, 1);
        request.Dispose();
        Assert.Throws<ObjectDisposedException>(() => password.Utf8.ToArray());
    }

    [Theory]
    [InlineData(BridgeProtocol.MaxUser, true)]
    [InlineData(BridgeProtocol.MaxUser + 1, false)]
    public void Writer_enforces_the_user_limit(int length, bool ok)
    {
        using var request = new AuthRequestFrame(new string('u', length), Secret.FromString("pw"), "sshd", "", "", true, 1);
        if (ok) Assert.NotEmpty(FrameWriter.Encode(request));
        else Assert.Contains("User", Assert.Throws<ArgumentException>(() => FrameWriter.Encode(request)).Message);
    }

    [Fact]
    public void Writer_refusals_name_the_field_and_not_the_value()
    {
        using var request = new AuthRequestFrame("alice", new Secret(Encoding.UTF8.GetBytes(new string('p', 1025))), "sshd", "", "", true, 1);
        var ex = Assert.Throws<ArgumentException>(() => FrameWriter.Encode(request));
        Assert.Contains("Password", ex.Message);
        Assert.DoesNotContain("ppppp", ex.Message);

        Assert.Throws<ArgumentException>(() => FrameWriter.Encode(new AuthResponseFrame(BridgeStatus.Error, false, 0, "a\0b")));
        Assert.Throws<ArgumentException>(() => FrameWriter.Encode(new AuthResponseFrame((BridgeStatus)99, false, 0, "")));
        Assert.Throws<ArgumentException>(() => FrameWriter.Encode(new ErrorFrame(BridgeErrorCode.Malformed, new string('m', 1025))));
        using var empty = new AuthRequestFrame("", Secret.FromString("pw"), "sshd", "", "", true, 1);
        Assert.Throws<ArgumentException>(() => FrameWriter.Encode(empty));
    }

    [Theory]
    [InlineData("hello", 10, "hello")]
    [InlineData("hello", 3, "hel")]
    [InlineData("héllo", 2, "h")]   // é is two bytes: not cut in the middle
    [InlineData("a🔑b", 4, "a")]    // the key is four bytes
    [InlineData("a🔑b", 5, "a🔑")]
    public void TruncateUtf8_cuts_on_a_character_boundary(string text, int max, string expected)
    {
        var cut = BridgeProtocol.TruncateUtf8(text, max);
        Assert.Equal(expected, cut);
        Assert.True(Encoding.UTF8.GetByteCount(cut) <= max);
    }
}
