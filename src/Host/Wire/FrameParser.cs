using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

using OpenBastion.Engine;

namespace OpenBastion.Wire;

/// <summary>
/// Strict decoder of a frame body (version, type, fields). Every field must fit its limit, strings
/// must be valid UTF-8 without NUL, reserved flag bits must be zero, enumerations must be known,
/// and the body must end exactly after the last field. Never throws for bad input.
/// </summary>
public static class FrameParser
{
    public static FrameResult Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length is 0 or > BridgeProtocol.MaxBody) return FrameResult.Failed(FrameError.TooLarge);
        if (body.Length < 2) return FrameResult.Failed(FrameError.Malformed);
        if (body[0] != BridgeProtocol.Version) return FrameResult.Failed(FrameError.BadVersion);

        var fields = new FieldReader(body[2..]);
        BridgeFrame? frame = (FrameType)body[1] switch
        {
            FrameType.AuthRequest => ParseAuthRequest(ref fields),
            FrameType.AuthResponse => ParseAuthResponse(ref fields),
            FrameType.Error => ParseError(ref fields),
            // The frame owns this copy (the body is zeroed by the reader); disposing the frame zeroes it.
            FrameType.AdminRequest or FrameType.AdminResponse =>
                new AdminFrame((FrameType)body[1], body[2..].ToArray()),
            _ => null,
        };
        if (frame is null && !Enum.IsDefined((FrameType)body[1])) return FrameResult.Failed(FrameError.BadType);
        if (frame is AdminFrame) return FrameResult.Of(frame);
        if (frame is null || !fields.AtEnd)
        {
            (frame as IDisposable)?.Dispose();
            return FrameResult.Failed(FrameError.Malformed);
        }
        return FrameResult.Of(frame);
    }

    private static AuthRequestFrame? ParseAuthRequest(ref FieldReader r)
    {
        if (!r.TryU8(out var flags) || (flags & ~BridgeProtocol.RequestFlagAllowOffline) != 0) return null;
        if (!r.TryU32(out var timeoutMs)) return null;
        if (!r.TryString(BridgeProtocol.MaxUser, out var user) || user.Length == 0) return null;
        if (!r.TryBytes(BridgeProtocol.MaxPassword, out var password)) return null;
        if (!r.TryString(BridgeProtocol.MaxService, out var service)) return null;
        if (!r.TryString(BridgeProtocol.MaxRemoteHost, out var remoteHost)) return null;
        if (!r.TryString(BridgeProtocol.MaxTty, out var tty)) return null;
        var allowOffline = (flags & BridgeProtocol.RequestFlagAllowOffline) != 0;
        return new AuthRequestFrame(user, new Secret(password), service, remoteHost, tty, allowOffline, timeoutMs);
    }

    private static AuthResponseFrame? ParseAuthResponse(ref FieldReader r)
    {
        if (!r.TryU8(out var status) || !Enum.IsDefined((BridgeStatus)status)) return null;
        if (!r.TryU8(out var flags) || (flags & ~BridgeProtocol.ResponseFlagOffline) != 0) return null;
        if (!r.TryU32(out var seconds)) return null;
        if (!r.TryString(BridgeProtocol.MaxMessage, out var message)) return null;
        if (!r.TryString(BridgeProtocol.MaxGecos, out var gecos)) return null;
        if (!r.TryString(BridgeProtocol.MaxShell, out var shell)) return null;
        if (!r.TryString(BridgeProtocol.MaxHome, out var home)) return null;
        var offline = (flags & BridgeProtocol.ResponseFlagOffline) != 0;
        return new AuthResponseFrame((BridgeStatus)status, offline, seconds, message, gecos, shell, home);
    }

    private static ErrorFrame? ParseError(ref FieldReader r)
    {
        if (!r.TryU16(out var code) || !Enum.IsDefined((BridgeErrorCode)code)) return null;
        if (!r.TryString(BridgeProtocol.MaxMessage, out var message)) return null;
        return new ErrorFrame((BridgeErrorCode)code, message);
    }

    /// <summary>Sequential big-endian field reader over a body; every Try fails instead of reading past the end.</summary>
    private ref struct FieldReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _pos;

        public readonly bool AtEnd => _pos == _data.Length;

        public bool TryU8(out byte value)
        {
            value = 0;
            if (_data.Length - _pos < 1) return false;
            value = _data[_pos++];
            return true;
        }

        public bool TryU16(out ushort value)
        {
            value = 0;
            if (_data.Length - _pos < 2) return false;
            value = BinaryPrimitives.ReadUInt16BigEndian(_data[_pos..]);
            _pos += 2;
            return true;
        }

        public bool TryU32(out uint value)
        {
            value = 0;
            if (_data.Length - _pos < 4) return false;
            value = BinaryPrimitives.ReadUInt32BigEndian(_data[_pos..]);
            _pos += 4;
            return true;
        }

        /// <summary>A length-prefixed UTF-8 field of at most <paramref name="max"/> bytes, without NUL.</summary>
        public bool TryBytes(int max, out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!TryU16(out var length) || length > max || _data.Length - _pos < length) return false;
            var candidate = _data.Slice(_pos, length);
            if (candidate.Contains((byte)0) || !Utf8.IsValid(candidate)) return false;
            value = candidate;
            _pos += length;
            return true;
        }

        public bool TryString(int max, out string value)
        {
            value = "";
            if (!TryBytes(max, out var bytes)) return false;
            value = Encoding.UTF8.GetString(bytes);
            return true;
        }
    }
}
