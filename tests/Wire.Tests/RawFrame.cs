using System.Text;

namespace OpenBastion.Wire.Tests;

/// <summary>Builds bodies byte by byte, independently of FrameWriter, to express malformed input.</summary>
internal sealed class RawFrame
{
    private readonly List<byte> _bytes = [];

    public static RawFrame Body(byte version, byte type) => new RawFrame().U8(version).U8(type);

    public RawFrame U8(byte v) { _bytes.Add(v); return this; }

    public RawFrame U16(int v) { _bytes.Add((byte)(v >> 8)); _bytes.Add((byte)v); return this; }

    public RawFrame U32(uint v)
    {
        _bytes.AddRange([(byte)(v >> 24), (byte)(v >> 16), (byte)(v >> 8), (byte)v]);
        return this;
    }

    public RawFrame Str(string s) => Bytes(Encoding.UTF8.GetBytes(s));

    public RawFrame Bytes(byte[] b) { U16(b.Length); _bytes.AddRange(b); return this; }

    public RawFrame Raw(params byte[] b) { _bytes.AddRange(b); return this; }

    public byte[] ToBody() => [.. _bytes];

    /// <summary>The body with its u32 big-endian length header.</summary>
    public byte[] ToFrame() => [.. Header((uint)_bytes.Count), .. _bytes];

    public static byte[] Header(uint length) => [(byte)(length >> 24), (byte)(length >> 16), (byte)(length >> 8), (byte)length];

    /// <summary>A valid AUTH_REQUEST body with the given field values.</summary>
    public static RawFrame Request(string user = "alice", string password = "s3cret", string service = "sshd",
        string rhost = "10.0.0.1", string tty = "ssh", byte flags = 1, uint timeoutMs = 10_000) =>
        Body(1, 0x01).U8(flags).U32(timeoutMs).Str(user).Str(password).Str(service).Str(rhost).Str(tty);

    /// <summary>A valid AUTH_RESPONSE body with the given field values.</summary>
    public static RawFrame Response(byte status = 0, byte flags = 0, uint seconds = 0, string message = "",
        string gecos = "", string shell = "", string home = "") =>
        Body(1, 0x02).U8(status).U8(flags).U32(seconds).Str(message).Str(gecos).Str(shell).Str(home);
}
