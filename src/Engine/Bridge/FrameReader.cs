using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenBastion.Engine.Bridge;

/// <summary>
/// Reads one frame from a stream: the u32 header, the length check (before any allocation), exactly
/// the announced body, then <see cref="FrameParser.Parse"/>. Bad input becomes a <see cref="FrameResult"/>
/// error, never an exception; only cancellation and I/O failures throw. The caller bounds a slow peer
/// with <paramref name="cancellationToken"/> (the daemon gives it <see cref="BridgeProtocol.FrameTimeout"/>).
/// </summary>
public static class FrameReader
{
    public static async ValueTask<FrameResult> ReadFrameAsync(Stream stream, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[BridgeProtocol.HeaderSize];
        var got = await ReadAtMostAsync(stream, header, cancellationToken).ConfigureAwait(false);
        if (got == 0) return FrameResult.Failed(FrameError.EndOfStream);
        if (got < header.Length) return FrameResult.Failed(FrameError.Truncated);

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > BridgeProtocol.MaxBody) return FrameResult.Failed(FrameError.TooLarge);

        var body = new byte[length];
        try
        {
            got = await ReadAtMostAsync(stream, body, cancellationToken).ConfigureAwait(false);
            if (got < body.Length) return FrameResult.Failed(FrameError.Truncated);
            return FrameParser.Parse(body);
        }
        finally
        {
            // The body of an AUTH_REQUEST holds a password.
            CryptographicOperations.ZeroMemory(body);
        }
    }

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    private static async ValueTask<int> ReadAtMostAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
