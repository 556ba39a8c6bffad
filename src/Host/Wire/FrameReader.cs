using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenBastion.Wire;

/// <summary>
/// Reads one frame from a stream: the u32 header, the length check (before any allocation), exactly
/// the announced body, then <see cref="FrameParser.Parse"/>. Bad input becomes a <see cref="FrameResult"/>
/// error, never an exception; only cancellation and I/O failures throw.
/// </summary>
public static class FrameReader
{
    /// <summary>
    /// Reads one frame; a slow peer is bounded only by <paramref name="cancellationToken"/> (e.g. a
    /// token cancelled after <see cref="BridgeProtocol.FrameTimeout"/>), which then throws.
    /// </summary>
    public static ValueTask<FrameResult> ReadFrameAsync(Stream stream, CancellationToken cancellationToken) =>
        ReadCoreAsync(stream, null, null, cancellationToken);

    /// <summary>
    /// Reads one frame, which must be complete within <paramref name="frameTimeout"/> of its first
    /// byte (the slow-loris rule); waiting for that first byte is bounded by
    /// <paramref name="cancellationToken"/> only. Past the bound the result is
    /// <see cref="FrameError.TimedOut"/> (answer ERROR TIMEOUT), not an exception.
    /// </summary>
    public static ValueTask<FrameResult> ReadFrameAsync(Stream stream, TimeSpan frameTimeout, TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(frameTimeout, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return ReadCoreAsync(stream, frameTimeout, timeProvider, cancellationToken);
    }

    private static async ValueTask<FrameResult> ReadCoreAsync(Stream stream, TimeSpan? frameTimeout,
        TimeProvider? timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[BridgeProtocol.HeaderSize];
        var got = await ReadAtMostAsync(stream, header.AsMemory(0, 1), cancellationToken).ConfigureAwait(false);
        if (got == 0) return FrameResult.Failed(FrameError.EndOfStream);

        using var frameTimer = frameTimeout is { } timeout ? new CancellationTokenSource(timeout, timeProvider!) : null;
        using var linked = frameTimer is null ? null
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, frameTimer.Token);
        var token = linked?.Token ?? cancellationToken;
        try
        {
            return await ReadRestAsync(stream, header, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (frameTimer is { IsCancellationRequested: true }
                                                  && !cancellationToken.IsCancellationRequested)
        {
            return FrameResult.Failed(FrameError.TimedOut);
        }
    }

    /// <summary>The rest of a frame whose first header byte is already in <paramref name="header"/>.</summary>
    private static async ValueTask<FrameResult> ReadRestAsync(Stream stream, byte[] header, CancellationToken ct)
    {
        var got = 1 + await ReadAtMostAsync(stream, header.AsMemory(1), ct).ConfigureAwait(false);
        if (got < header.Length) return FrameResult.Failed(FrameError.Truncated);

        var length = BinaryPrimitives.ReadUInt32BigEndian(header);
        if (length is 0 or > BridgeProtocol.MaxBody) return FrameResult.Failed(FrameError.TooLarge);

        var body = new byte[length];
        try
        {
            got = await ReadAtMostAsync(stream, body, ct).ConfigureAwait(false);
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
