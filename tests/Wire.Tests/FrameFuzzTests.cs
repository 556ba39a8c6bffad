using OpenBastion.Wire;

namespace OpenBastion.Wire.Tests;

/// <summary>Random and mutated input: the codec answers with a result, never an exception.</summary>
public class FrameFuzzTests
{
    [Fact]
    public async Task Random_bytes_never_throw()
    {
        var random = new Random(20261123);
        for (var i = 0; i < 5000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);
            if (bytes.Length >= 4 && random.Next(2) == 0)
            {
                // Make the header plausible so the body parser is exercised too.
                var length = (uint)(bytes.Length - 4);
                RawFrame.Header(length).CopyTo(bytes, 0);
                if (bytes.Length > 4) bytes[4] = 1;
            }
            var result = await FrameReader.ReadFrameAsync(new MemoryStream(bytes), CancellationToken.None);
            Assert.True(result.IsFrame ^ (result.Error != FrameError.None));
            (result.Frame as IDisposable)?.Dispose();
        }
    }

    [Fact]
    public void Mutated_valid_frames_never_throw_and_reencode_identically_when_accepted()
    {
        var random = new Random(42);
        byte[][] seeds =
        [
            RawFrame.Request().ToBody(),
            RawFrame.Response(status: 2, flags: 1, seconds: 120, message: "locked", gecos: "A", shell: "/bin/sh", home: "/h").ToBody(),
            RawFrame.Body(1, 0x7F).U16(4).Str("too large").ToBody(),
        ];
        for (var i = 0; i < 20000; i++)
        {
            var body = (byte[])seeds[i % seeds.Length].Clone();
            for (var m = random.Next(1, 4); m > 0; m--)
                body[random.Next(body.Length)] = (byte)random.Next(256);
            var result = FrameParser.Parse(body);
            if (result.Frame is { } frame)
            {
                // Strictness: anything accepted is canonical, so it encodes back to the same bytes.
                Assert.Equal(body, FrameWriter.Encode(frame)[BridgeProtocol.HeaderSize..]);
                (frame as IDisposable)?.Dispose();
            }
        }
    }
}
