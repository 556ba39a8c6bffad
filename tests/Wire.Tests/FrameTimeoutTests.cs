using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Wire;

namespace OpenBastion.Wire.Tests;

/// <summary>The slow-loris rule on virtual time: a frame must be complete within 5 s of its first byte.</summary>
public class FrameTimeoutTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task A_frame_stalled_mid_way_times_out_exactly_at_the_bound()
    {
        var peer = new PeerStream();
        var read = FrameReader.ReadFrameAsync(peer, BridgeProtocol.FrameTimeout, _time, CancellationToken.None).AsTask();
        peer.Send(RawFrame.Request().ToFrame()[..9]);   // header and a little body, then nothing
        await peer.Drained();

        _time.Advance(BridgeProtocol.FrameTimeout - TimeSpan.FromMilliseconds(1));
        Assert.False(read.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));

        var result = await read;
        Assert.Equal(FrameError.TimedOut, result.Error);
        Assert.Equal(BridgeErrorCode.Timeout, result.ReplyCode);
    }

    [Fact]
    public async Task A_stalled_header_times_out_too()
    {
        var peer = new PeerStream();
        var read = FrameReader.ReadFrameAsync(peer, BridgeProtocol.FrameTimeout, _time, CancellationToken.None).AsTask();
        peer.Send([0, 0]);
        await peer.Drained();
        _time.Advance(BridgeProtocol.FrameTimeout);
        Assert.Equal(FrameError.TimedOut, (await read).Error);
    }

    [Fact]
    public async Task Idle_time_before_the_first_byte_does_not_count()
    {
        var peer = new PeerStream();
        var read = FrameReader.ReadFrameAsync(peer, BridgeProtocol.FrameTimeout, _time, CancellationToken.None).AsTask();
        await peer.Drained();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.False(read.IsCompleted);

        var frame = RawFrame.Request(user: "dave").ToFrame();
        peer.Send(frame[..1]);
        await peer.Drained();
        _time.Advance(BridgeProtocol.FrameTimeout - TimeSpan.FromMilliseconds(1));
        peer.Send(frame[1..]);

        using var request = Assert.IsType<AuthRequestFrame>((await read).Frame);
        Assert.Equal("dave", request.User);
    }

    [Fact]
    public async Task The_callers_cancellation_still_throws()
    {
        using var cts = new CancellationTokenSource();
        var peer = new PeerStream();
        var read = FrameReader.ReadFrameAsync(peer, BridgeProtocol.FrameTimeout, _time, cts.Token).AsTask();
        peer.Send([0]);
        await peer.Drained();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    /// <summary>A stream fed chunk by chunk by the test; reads wait for the next chunk.</summary>
    private sealed class PeerStream : Stream
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
        private readonly Lock _gate = new();
        private TaskCompletionSource _idle = NewIdle();
        private byte[] _current = [];
        private int _offset;

        private static TaskCompletionSource NewIdle() => new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Send(byte[] chunk)
        {
            lock (_gate)
            {
                if (_idle.Task.IsCompleted) _idle = NewIdle();
                _chunks.Writer.TryWrite(chunk);
            }
        }

        /// <summary>Completes once the reader has consumed everything sent so far and waits for more.</summary>
        public Task Drained()
        {
            lock (_gate) return _idle.Task;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            while (_offset == _current.Length)
            {
                byte[]? next;
                lock (_gate)
                {
                    if (!_chunks.Reader.TryRead(out next)) _idle.TrySetResult();
                }
                next ??= await _chunks.Reader.ReadAsync(ct);
                _current = next;
                _offset = 0;
            }
            var n = Math.Min(buffer.Length, _current.Length - _offset);
            _current.AsMemory(_offset, n).CopyTo(buffer);
            _offset += n;
            return n;
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
