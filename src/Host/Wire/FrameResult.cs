namespace OpenBastion.Wire;

/// <summary>Why no frame could be read.</summary>
public enum FrameError
{
    None = 0,
    /// <summary>The peer closed the connection cleanly, before the first byte of a frame.</summary>
    EndOfStream,
    /// <summary>The peer closed the connection in the middle of a frame (header or body).</summary>
    Truncated,
    /// <summary>The header announced 0 bytes or more than <see cref="BridgeProtocol.MaxBody"/>.</summary>
    TooLarge,
    BadVersion,
    BadType,
    /// <summary>The body does not parse exactly: a field past the end, over a limit, bad UTF-8, trailing bytes…</summary>
    Malformed,
    /// <summary>The frame was not complete within the frame timeout of its first byte (slow-loris bound).</summary>
    TimedOut,
}

/// <summary>Either a decoded frame or the protocol error that prevented it.</summary>
public readonly record struct FrameResult
{
    private FrameResult(BridgeFrame? frame, FrameError error)
    {
        Frame = frame;
        Error = error;
    }

    public BridgeFrame? Frame { get; }

    public FrameError Error { get; }

    public bool IsFrame => Frame is not null;

    public static FrameResult Of(BridgeFrame frame) => new(frame ?? throw new ArgumentNullException(nameof(frame)), FrameError.None);

    public static FrameResult Failed(FrameError error) =>
        error == FrameError.None ? throw new ArgumentOutOfRangeException(nameof(error)) : new(null, error);

    /// <summary>
    /// The ERROR code the daemon answers with before closing, or null when nothing should be sent
    /// (a clean end of stream).
    /// </summary>
    public BridgeErrorCode? ReplyCode => Error switch
    {
        FrameError.None or FrameError.EndOfStream => null,
        FrameError.TooLarge => BridgeErrorCode.TooLarge,
        FrameError.BadVersion => BridgeErrorCode.BadVersion,
        FrameError.BadType => BridgeErrorCode.BadType,
        FrameError.TimedOut => BridgeErrorCode.Timeout,
        _ => BridgeErrorCode.Malformed,
    };
}
