namespace OpenBastion.Wire;

/// <summary>A decoded frame of the bridge protocol.</summary>
public abstract record BridgeFrame
{
    private protected BridgeFrame() { }

    public abstract FrameType Type { get; }
}
