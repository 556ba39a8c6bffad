using System.Text;

namespace OpenBastion.Wire;

/// <summary>
/// Constants of the bridge wire protocol v1 (docs/PROTOCOL.md): a frame is a big-endian u32 body
/// length followed by the body; the body starts with the version and the frame type.
/// </summary>
public static class BridgeProtocol
{
    public const byte Version = 1;

    /// <summary>Size of the length prefix.</summary>
    public const int HeaderSize = 4;

    /// <summary>Largest body a peer may announce; a larger (or zero) length is refused before any allocation.</summary>
    public const int MaxBody = 8192;

    public const int MaxUser = 256;
    public const int MaxPassword = 1024;
    public const int MaxService = 256;
    public const int MaxRemoteHost = 256;
    public const int MaxTty = 256;
    public const int MaxMessage = 1024;
    public const int MaxGecos = 1024;
    public const int MaxShell = 1024;
    public const int MaxHome = 1024;

    /// <summary>AUTH_REQUEST flags bit 0: the module allows the offline cache.</summary>
    public const byte RequestFlagAllowOffline = 0x01;

    /// <summary>AUTH_RESPONSE flags bit 0: decided offline, with cached credentials.</summary>
    public const byte ResponseFlagOffline = 0x01;

    /// <summary>The daemon's slow-loris bound: a frame must be complete within this time of its first byte.</summary>
    public static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <paramref name="text"/> cut to at most <paramref name="maxBytes"/> UTF-8 bytes on a character
    /// boundary, so a daemon-composed message always fits its field.
    /// </summary>
    public static string TruncateUtf8(string text, int maxBytes)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes) return text;
        var bytes = 0;
        var end = 0;
        foreach (var rune in text.EnumerateRunes())
        {
            if (bytes + rune.Utf8SequenceLength > maxBytes) break;
            bytes += rune.Utf8SequenceLength;
            end += rune.Utf16SequenceLength;
        }
        return text[..end];
    }
}

/// <summary>The frame types of protocol v1.</summary>
public enum FrameType : byte
{
    AuthRequest = 0x01,
    AuthResponse = 0x02,
    /// <summary>Reserved for ob-cache-admin; its payload is defined by the admin protocol.</summary>
    AdminRequest = 0x10,
    /// <summary>Reserved for ob-cache-admin; its payload is defined by the admin protocol.</summary>
    AdminResponse = 0x11,
    Error = 0x7F,
}
