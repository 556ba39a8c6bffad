using OpenBastion.Wire;

namespace OpenBastion.Wire.Tests;

public class FrameReaderTests
{
    private static ValueTask<FrameResult> Read(byte[] bytes) =>
        FrameReader.ReadFrameAsync(new MemoryStream(bytes), CancellationToken.None);

    [Fact]
    public async Task Clean_end_of_stream_before_a_frame()
    {
        var result = await Read([]);
        Assert.Equal(FrameError.EndOfStream, result.Error);
        Assert.False(result.IsFrame);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Truncated_header(int bytes) =>
        Assert.Equal(FrameError.Truncated, (await Read(new byte[bytes])).Error);

    [Fact]
    public async Task Truncated_body()
    {
        var frame = RawFrame.Request().ToFrame();
        for (var cut = BridgeProtocol.HeaderSize; cut < frame.Length; cut++)
            Assert.Equal(FrameError.Truncated, (await Read(frame[..cut])).Error);
    }

    [Theory]
    [InlineData(0u)]
    [InlineData((uint)BridgeProtocol.MaxBody + 1)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(uint.MaxValue)]
    public async Task A_zero_or_oversize_header_is_too_large_and_nothing_more_is_read(uint length)
    {
        var stream = new MemoryStream([.. RawFrame.Header(length), .. new byte[64]]);
        var result = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        Assert.Equal(FrameError.TooLarge, result.Error);
        Assert.Equal(BridgeProtocol.HeaderSize, stream.Position);
    }

    [Fact]
    public async Task An_oversize_header_is_refused_without_allocating_its_body()
    {
        var header = RawFrame.Header(16 * 1024 * 1024);   // beyond MaxBody: nothing is allocated for it
        await FrameReader.ReadFrameAsync(new MemoryStream(header), CancellationToken.None);   // warm up

        var stream = new MemoryStream(header);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);   // completes synchronously
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(FrameError.TooLarge, result.Error);
        Assert.True(allocated < 4096, $"allocated {allocated} bytes");
    }

    [Fact]
    public async Task A_body_of_exactly_MaxBody_is_read()
    {
        var payload = new byte[BridgeProtocol.MaxBody - 2];
        var frame = RawFrame.Body(1, 0x10).Raw(payload).ToFrame();
        var result = await Read(frame);
        var reserved = Assert.IsType<AdminFrame>(result.Frame);
        Assert.Equal(FrameType.AdminRequest, reserved.Type);
        Assert.Equal(payload.Length, reserved.Payload.Length);
    }

    [Fact]
    public async Task A_header_of_MaxBody_plus_one_is_refused() =>
        Assert.Equal(FrameError.TooLarge,
            (await Read(RawFrame.Body(1, 0x10).Raw(new byte[BridgeProtocol.MaxBody - 1]).ToFrame())).Error);

    [Fact]
    public async Task A_frame_dribbled_one_byte_per_read_is_assembled()
    {
        var stream = new OneByteStream(RawFrame.Request(user: "carol").ToFrame());
        var result = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        using var request = Assert.IsType<AuthRequestFrame>(result.Frame);
        Assert.Equal("carol", request.User);
    }

    [Fact]
    public async Task Only_one_frame_is_consumed()
    {
        byte[] two = [.. RawFrame.Response(status: 1).ToFrame(), .. RawFrame.Response(status: 2).ToFrame()];
        var stream = new MemoryStream(two);
        var first = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        var second = await FrameReader.ReadFrameAsync(stream, CancellationToken.None);
        Assert.Equal(BridgeStatus.WrongPassword, Assert.IsType<AuthResponseFrame>(first.Frame).Status);
        Assert.Equal(BridgeStatus.Locked, Assert.IsType<AuthResponseFrame>(second.Frame).Status);
    }

    [Theory]
    [InlineData(2, FrameError.BadVersion)]
    [InlineData(1, FrameError.BadType)]
    public async Task Body_errors_surface_from_the_reader(byte version, FrameError expected)
    {
        var frame = RawFrame.Body(version, 0x55).Raw(0).ToFrame();
        Assert.Equal(expected, (await Read(frame)).Error);
    }

    [Fact]
    public async Task A_peer_that_stalls_mid_frame_is_bounded_by_the_callers_token()
    {
        using var cts = new CancellationTokenSource();
        var stream = new StallingStream(RawFrame.Request().ToFrame()[..10]);
        var read = FrameReader.ReadFrameAsync(stream, cts.Token).AsTask();
        await stream.Stalled.Task;          // header and part of the body consumed, now waiting
        Assert.False(read.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    /// <summary>Returns one byte per read.</summary>
    private sealed class OneByteStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) =>
            base.ReadAsync(buffer[..Math.Min(1, buffer.Length)], ct);
    }

    /// <summary>Serves its bytes, then blocks until cancelled.</summary>
    private sealed class StallingStream(byte[] data) : MemoryStream(data)
    {
        public TaskCompletionSource Stalled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = await base.ReadAsync(buffer, ct);
            if (n > 0) return n;
            Stalled.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return 0;
        }
    }
}
