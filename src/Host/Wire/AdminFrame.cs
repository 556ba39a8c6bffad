using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace OpenBastion.Wire;

/// <summary>
/// An ob-cache-admin frame (ADMIN_REQUEST 0x10, ADMIN_RESPONSE 0x11): live admin traffic. The bridge
/// codec only frames it; <see cref="Payload"/> (the bytes after version and type) is decoded by the
/// admin protocol. An ADMIN_REQUEST payload may hold a password (<c>auth</c>): <see cref="Dispose"/>
/// zeroes the payload's bytes, and whoever receives or builds one disposes it once it is served or sent.
/// </summary>
public sealed record AdminFrame : BridgeFrame, IDisposable
{
    private readonly FrameType _type;

    public AdminFrame(FrameType type, ReadOnlyMemory<byte> payload)
    {
        if (type is not (FrameType.AdminRequest or FrameType.AdminResponse))
            throw new ArgumentOutOfRangeException(nameof(type), type, "Only ADMIN_REQUEST and ADMIN_RESPONSE are admin frames.");
        _type = type;
        Payload = payload;
    }

    public override FrameType Type => _type;

    public ReadOnlyMemory<byte> Payload { get; }

    public bool Equals(AdminFrame? other) =>
        other is not null && _type == other._type && Payload.Span.SequenceEqual(other.Payload.Span);

    public override int GetHashCode() => HashCode.Combine(_type, Payload.Length);

    /// <summary>Zeroes the payload (the array behind it: the parser's own copy, or the encoder's).</summary>
    public void Dispose()
    {
        if (MemoryMarshal.TryGetArray(Payload, out var bytes)) CryptographicOperations.ZeroMemory(bytes.AsSpan());
    }
}
