using OpenBastion.Engine;
using OpenBastion.Wire;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Tests;

/// <summary>The listener zeroes an ADMIN_REQUEST's payload (an auth's password) once it is served (issue 10 item 7).</summary>
public sealed class AdminPayloadTests
{
    [Fact]
    public async Task An_admin_request_payload_is_zeroed_once_served()
    {
        var handler = new CapturingAdmin();
        await using var f = await ListenerFixture.StartAsync(admin: handler);
        await using (var client = await f.ConnectAsync())
        {
            using var request = new AdminRequest(AdminCommand.Auth, ["alice"], Secret.FromString("hunter2-admin"));
            await client.SendAsync(AdminCodec.EncodeRequest(request));
            Assert.Equal(BridgeErrorCode.Malformed, (await client.ReceiveAsync<ErrorFrame>()).Code);
            Assert.True(await client.IsClosedByPeerAsync());
        }

        var served = await handler.Served.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("hunter2-admin", served.PasswordSeen);
        // The connection disposes the frame before it closes, and the client saw the close.
        Assert.True(served.Frame.Payload.Length > 0);
        Assert.True(served.Frame.Payload.Span.IndexOfAnyExcept((byte)0) < 0, "the admin payload was not zeroed");
    }

    private sealed class CapturingAdmin : IAdminFrameHandler
    {
        public TaskCompletionSource<(AdminFrame Frame, string PasswordSeen)> Served { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task ServeAsync(Stream stream, AdminFrame frame, PeerCredentials peer, CancellationToken cancellationToken)
        {
            using var request = AdminCodec.DecodeRequest(frame);
            var seen = request?.Password?.Reveal() ?? "";
            await FrameWriter.WriteAsync(stream, new ErrorFrame(BridgeErrorCode.Malformed, "captured"), cancellationToken);
            Served.SetResult((frame, seen));
        }
    }
}
