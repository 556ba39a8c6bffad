using System.Buffers.Binary;
using OpenBastion.Wire;
using static OpenBastion.Fuzz.FuzzAssertionException;

namespace OpenBastion.Fuzz;

/// <summary>The daemon's frame codec: bytes from any local peer of the socket.</summary>
internal static class FrameTargets
{
    /// <summary>
    /// <see cref="FrameParser.Parse"/> on a body: never throws; a failure has a reply code; a frame
    /// re-encodes to exactly the same bytes (the codec is strict, so there is one encoding per frame).
    /// </summary>
    public static void Parse(byte[] body)
    {
        var result = FrameParser.Parse(body);
        CheckParsed(result, body);
    }

    /// <summary>
    /// <see cref="FrameReader.ReadFrameAsync(Stream, CancellationToken)"/> over a stream that hands out
    /// the bytes in small pieces (the first byte sets their size), frame after frame until the stream
    /// ends or a frame fails: each outcome must agree with the header and <see cref="FrameParser"/>.
    /// </summary>
    public static void Read(byte[] data)
    {
        if (data.Length == 0) return;
        var chunk = 1 + data[0] % 16;
        var rest = data.AsMemory(1);
        using var stream = new ChunkedStream(rest, chunk);
        var pos = 0;
        for (var frames = 0; frames < 64; frames++)
        {
            var result = FrameReader.ReadFrameAsync(stream, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            var left = rest.Span[pos..];
            if (left.Length == 0)
            {
                Check(result.Error == FrameError.EndOfStream, $"empty stream gave {result.Error}");
                return;
            }
            if (left.Length < BridgeProtocol.HeaderSize)
            {
                Check(result.Error == FrameError.Truncated, $"short header gave {result.Error}");
                return;
            }
            var length = BinaryPrimitives.ReadUInt32BigEndian(left);
            if (length is 0 or > BridgeProtocol.MaxBody)
            {
                Check(result.Error == FrameError.TooLarge, $"length {length} gave {result.Error}");
                return;
            }
            if (left.Length - BridgeProtocol.HeaderSize < length)
            {
                Check(result.Error == FrameError.Truncated, $"short body gave {result.Error}");
                return;
            }
            var body = left.Slice(BridgeProtocol.HeaderSize, (int)length).ToArray();
            var expected = FrameParser.Parse(body);
            Check(result.Error == expected.Error, $"reader said {result.Error}, parser {expected.Error}");
            CheckParsed(result, body);
            DisposeFrame(expected);
            if (!result.IsFrame) return;
            pos += BridgeProtocol.HeaderSize + (int)length;
        }
    }

    private static void CheckParsed(FrameResult result, byte[] body)
    {
        if (!result.IsFrame)
        {
            Check(result.Error is not FrameError.None, "no frame and no error");
            Check(result.ReplyCode is not null, $"error {result.Error} has no reply code");
            return;
        }
        Check(result.Error == FrameError.None, "a frame with an error");
        var frame = result.Frame!;
        var encoded = FrameWriter.Encode(frame);
        try
        {
            Check(BinaryPrimitives.ReadUInt32BigEndian(encoded) == body.Length, "re-encoded header length differs");
            Check(encoded.AsSpan(BridgeProtocol.HeaderSize).SequenceEqual(body), $"{frame.Type} does not re-encode to its bytes");
            if (frame is AdminFrame reserved) AdminTargets.Decode(reserved);
        }
        finally
        {
            Array.Clear(encoded);
            DisposeFrame(result);
        }
    }

    private static void DisposeFrame(FrameResult result) => (result.Frame as IDisposable)?.Dispose();

    /// <summary>A read-only stream that returns at most <c>chunk</c> bytes per read, as a socket may.</summary>
    private sealed class ChunkedStream(ReadOnlyMemory<byte> data, int chunk) : Stream
    {
        private int _pos;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(chunk, buffer.Length), data.Length - _pos);
            data.Span.Slice(_pos, n).CopyTo(buffer);
            _pos += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));
    }
}
