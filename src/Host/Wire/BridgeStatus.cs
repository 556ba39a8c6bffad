namespace OpenBastion.Wire;

/// <summary>The outcome carried by an AUTH_RESPONSE (one byte on the wire).</summary>
public enum BridgeStatus : byte
{
    Success = 0,
    WrongPassword = 1,
    Locked = 2,
    NotCached = 3,
    Expired = 4,
    Unavailable = 5,
    Busy = 6,
    Error = 7,
    TimedOut = 8,
}

/// <summary>The code carried by an ERROR frame (u16 on the wire).</summary>
public enum BridgeErrorCode : ushort
{
    BadVersion = 1,
    BadType = 2,
    Malformed = 3,
    TooLarge = 4,
    /// <summary>The peer's uid (SO_PEERCRED) is not allowed.</summary>
    Forbidden = 5,
    /// <summary>A frame was not complete in time (slow-loris bound).</summary>
    Timeout = 6,
    ShuttingDown = 7,
}
