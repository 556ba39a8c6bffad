namespace OpenBastion.Wire;

/// <summary>ERROR (daemon → any peer); the daemon closes the connection after sending it.</summary>
public sealed record ErrorFrame(BridgeErrorCode Code, string Message) : BridgeFrame
{
    public override FrameType Type => FrameType.Error;
}
