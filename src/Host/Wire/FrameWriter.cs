using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenBastion.Wire;

/// <summary>
/// Encodes frames (header included). A field over its limit, or text the parser would refuse, is a
/// caller bug and throws <see cref="ArgumentException"/> naming the field (never its value); use
/// <see cref="BridgeProtocol.TruncateUtf8"/> for composed messages.
/// </summary>
public static class FrameWriter
{
    /// <summary>The complete frame. For an AUTH_REQUEST the array holds the password: zero it after use.</summary>
    public static byte[] Encode(BridgeFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        var body = new BodyBuilder(frame.Type);
        switch (frame)
        {
            case AuthRequestFrame f:
                if (f.User.Length == 0) throw new ArgumentException("User must not be empty.", nameof(frame));
                body.U8(f.AllowOffline ? BridgeProtocol.RequestFlagAllowOffline : (byte)0);
                body.U32(f.TimeoutMs);
                body.Text(f.User, BridgeProtocol.MaxUser, nameof(f.User));
                body.Bytes(f.Password.Utf8, BridgeProtocol.MaxPassword, nameof(f.Password));
                body.Text(f.Service, BridgeProtocol.MaxService, nameof(f.Service));
                body.Text(f.RemoteHost, BridgeProtocol.MaxRemoteHost, nameof(f.RemoteHost));
                body.Text(f.Tty, BridgeProtocol.MaxTty, nameof(f.Tty));
                break;
            case AuthResponseFrame f:
                if (!Enum.IsDefined(f.Status)) throw new ArgumentException("Unknown status.", nameof(frame));
                body.U8((byte)f.Status);
                body.U8(f.Offline ? BridgeProtocol.ResponseFlagOffline : (byte)0);
                body.U32(f.Seconds);
                body.Text(f.Message, BridgeProtocol.MaxMessage, nameof(f.Message));
                body.Text(f.Gecos, BridgeProtocol.MaxGecos, nameof(f.Gecos));
                body.Text(f.Shell, BridgeProtocol.MaxShell, nameof(f.Shell));
                body.Text(f.Home, BridgeProtocol.MaxHome, nameof(f.Home));
                break;
            case ErrorFrame f:
                if (!Enum.IsDefined(f.Code)) throw new ArgumentException("Unknown error code.", nameof(frame));
                body.U16((ushort)f.Code);
                body.Text(f.Message, BridgeProtocol.MaxMessage, nameof(f.Message));
                break;
            case AdminFrame f:
                body.Raw(f.Payload.Span);
                break;
            default:
                throw new ArgumentException($"Unsupported frame {frame.GetType().Name}.", nameof(frame));
        }
        return body.ToFrame();
    }

    public static async ValueTask WriteAsync(Stream stream, BridgeFrame frame, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var bytes = Encode(frame);
        try
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Accumulates a body after a reserved header, then prepends the length.</summary>
    private sealed class BodyBuilder
    {
        private byte[] _buffer = new byte[512];
        private int _length = BridgeProtocol.HeaderSize;

        public BodyBuilder(FrameType type)
        {
            U8(BridgeProtocol.Version);
            U8((byte)type);
        }

        public void U8(byte value) => Reserve(1)[0] = value;

        public void U16(ushort value) => BinaryPrimitives.WriteUInt16BigEndian(Reserve(2), value);

        public void U32(uint value) => BinaryPrimitives.WriteUInt32BigEndian(Reserve(4), value);

        public void Text(string value, int max, string field)
        {
            ArgumentNullException.ThrowIfNull(value, field);
            if (value.Contains('\0')) throw new ArgumentException($"{field} must not contain NUL.", field);
            int count;
            try
            {
                count = new UTF8Encoding(false, true).GetByteCount(value);
            }
            catch (EncoderFallbackException)
            {
                throw new ArgumentException($"{field} is not valid Unicode.", field);
            }
            if (count > max) throw new ArgumentException($"{field} exceeds {max} bytes.", field);
            U16((ushort)count);
            Encoding.UTF8.GetBytes(value, Reserve(count));
        }

        public void Bytes(ReadOnlySpan<byte> value, int max, string field)
        {
            if (value.Length > max) throw new ArgumentException($"{field} exceeds {max} bytes.", field);
            if (value.Contains((byte)0) || !System.Text.Unicode.Utf8.IsValid(value))
                throw new ArgumentException($"{field} must be UTF-8 without NUL.", field);
            U16((ushort)value.Length);
            value.CopyTo(Reserve(value.Length));
        }

        public void Raw(ReadOnlySpan<byte> value) => value.CopyTo(Reserve(value.Length));

        public byte[] ToFrame()
        {
            var bodyLength = _length - BridgeProtocol.HeaderSize;
            if (bodyLength > BridgeProtocol.MaxBody)
            {
                CryptographicOperations.ZeroMemory(_buffer);
                throw new ArgumentException($"Frame body exceeds {BridgeProtocol.MaxBody} bytes.", "frame");
            }
            BinaryPrimitives.WriteUInt32BigEndian(_buffer, (uint)bodyLength);
            var frame = _buffer.AsSpan(0, _length).ToArray();
            CryptographicOperations.ZeroMemory(_buffer);
            return frame;
        }

        private Span<byte> Reserve(int count)
        {
            if (_length + count > _buffer.Length)
            {
                var bigger = new byte[Math.Max(_buffer.Length * 2, _length + count)];
                _buffer.AsSpan(0, _length).CopyTo(bigger);
                CryptographicOperations.ZeroMemory(_buffer);
                _buffer = bigger;
            }
            var span = _buffer.AsSpan(_length, count);
            _length += count;
            return span;
        }
    }
}
