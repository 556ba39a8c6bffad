using OpenBastion.Actors.Protocol;
using OpenBastion.Wire;
using OpenBastion.Engine.Online;
using OpenBastion.Host.Bridge;

namespace OpenBastion.Host.Tests;

public sealed class AuthResponseMapperTests
{
    public static TheoryData<string, BridgeStatus> Statuses => new()
    {
        { "online", BridgeStatus.Success },
        { "offline", BridgeStatus.Success },
        { "wrong", BridgeStatus.WrongPassword },
        { "locked", BridgeStatus.Locked },
        { "notcached", BridgeStatus.NotCached },
        { "expired", BridgeStatus.Expired },
        { "unreadable", BridgeStatus.Unavailable },
        { "busy", BridgeStatus.Busy },
        { "broken", BridgeStatus.Error },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Every_actor_reply_maps_to_the_protocol_status(string user, BridgeStatus expected) =>
        Assert.Equal(expected, AuthResponseMapper.ToFrame(ScriptedUsers.Answer(user)).Status);

    [Theory]
    [InlineData(UnavailableReason.OfflineDisabled, BridgeStatus.Unavailable)]
    [InlineData(UnavailableReason.TimedOut, BridgeStatus.TimedOut)]
    [InlineData(UnavailableReason.Unreadable, BridgeStatus.Unavailable)]
    public void Unavailable_reasons_map_per_the_protocol(UnavailableReason reason, BridgeStatus expected) =>
        Assert.Equal(expected, AuthResponseMapper.ToFrame(new AuthResult.Unavailable(reason)).Status);

    [Fact]
    public void Only_an_offline_success_carries_the_offline_flag_and_the_cached_age()
    {
        var online = AuthResponseMapper.ToFrame(ScriptedUsers.Answer("online"));
        var offline = AuthResponseMapper.ToFrame(ScriptedUsers.Answer("offline"));
        Assert.Equal((false, 0u), (online.Offline, online.Seconds));
        Assert.Equal((true, 21600u), (offline.Offline, offline.Seconds));
        Assert.Equal("Authenticated with cached credentials (offline mode)", offline.Message);
    }

    [Fact]
    public void Attributes_travel_on_success_only_and_are_made_to_fit_the_wire()
    {
        var gecos = new string('é', 700) + "\n"; // 1400 UTF-8 bytes, over the 1024 limit, and a control character
        var frame = AuthResponseMapper.ToFrame(new AuthResult.Success(AuthPath.Online, new UserAttributes(gecos, null, "/home/x"), null));
        Assert.Equal(512, frame.Gecos.Length);
        Assert.Equal(("", "/home/x"), (frame.Shell, frame.Home));
        Assert.True(FrameParser.Parse(FrameWriter.Encode(frame).AsSpan(4)).IsFrame);

        var wrong = AuthResponseMapper.ToFrame(new AuthResult.WrongPassword(AuthPath.Online));
        Assert.Equal(("", "", ""), (wrong.Gecos, wrong.Shell, wrong.Home));
    }

    [Fact]
    public void An_engine_error_reason_stays_out_of_the_user_message()
    {
        var frame = AuthResponseMapper.ToFrame(new AuthResult.Error("AES-GCM tag mismatch in /var/cache/x.cred"));
        Assert.DoesNotContain("AES", frame.Message);
    }
}
