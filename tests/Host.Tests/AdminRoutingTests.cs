using OpenBastion.Wire;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Tests;

public sealed class AdminRoutingTests
{
    [Fact]
    public async Task An_admin_request_goes_to_the_admin_handler_with_the_peer_credentials()
    {
        var admin = new RecordingAdmin();
        await using var f = await ListenerFixture.StartAsync(admin: admin);
        await using var client = await f.ConnectAsync();

        await client.SendAsync(new AdminFrame(FrameType.AdminRequest, new byte[] { 7, 0, 0 }));

        var reply = await client.ReceiveAsync<AdminFrame>();
        Assert.Equal(FrameType.AdminResponse, reply.Type);
        Assert.Equal(new byte[] { 7, 0, 0 }, admin.Payload);
        Assert.Equal(Environment.ProcessId, admin.Peer.Pid);
        Assert.True(await client.IsClosedByPeerAsync());
        Assert.Empty(f.Seen);
    }

    [Fact]
    public async Task Without_an_admin_handler_an_admin_request_is_BAD_TYPE()
    {
        await using var f = await ListenerFixture.StartAsync();
        await using var client = await f.ConnectAsync();

        await client.SendAsync(new AdminFrame(FrameType.AdminRequest, new byte[] { 1 }));

        Assert.Equal(BridgeErrorCode.BadType, (await client.ReceiveAsync<ErrorFrame>()).Code);
    }

    private sealed class RecordingAdmin : IAdminFrameHandler
    {
        public byte[]? Payload { get; private set; }

        public PeerCredentials Peer { get; private set; }

        public async Task ServeAsync(Stream stream, AdminFrame frame, PeerCredentials peer, CancellationToken cancellationToken)
        {
            Payload = frame.Payload.ToArray();
            Peer = peer;
            await FrameWriter.WriteAsync(stream, new AdminFrame(FrameType.AdminResponse, new byte[] { 0 }), cancellationToken);
        }
    }
}
