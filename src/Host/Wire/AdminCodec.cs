using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Unicode;

using OpenBastion.Engine;

namespace OpenBastion.Wire;

/// <summary>
/// Payloads of the ADMIN_REQUEST (0x10) and ADMIN_RESPONSE (0x11) frames (docs/PROTOCOL.md §3.4),
/// carried by <see cref="AdminFrame"/>. Decoding is strict like the rest of the bridge: the
/// arity of the command, the string limits, UTF-8 without NUL, known enumerations and no trailing
/// bytes. Never throws for bad input.
/// </summary>
public static class AdminCodec
{
    /// <summary>Largest argument (a user name, or the password of auth).</summary>
    public const int MaxArgument = BridgeProtocol.MaxPassword;

    /// <summary>ADMIN_RESPONSE flags bit 0: more frames of the same response follow.</summary>
    public const byte ResponseFlagMore = 0x01;

    /// <summary>Largest text of one ADMIN_RESPONSE frame: the body limit less version, type, status, flags and the string's length.</summary>
    public const int MaxResponseText = BridgeProtocol.MaxBody - 6;

    public static AdminFrame EncodeRequest(AdminRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arity = AdminCommands.Arity(request.Command);
        if (arity < 0) throw new ArgumentException("Unknown admin command.", nameof(request));
        var givenArity = request.Arguments.Count + (request.Password is null ? 0 : 1);
        if (givenArity != arity) throw new ArgumentException($"{request.Command} takes {arity} argument(s).", nameof(request));

        using var body = new MemoryStream();
        body.WriteByte((byte)request.Command);
        foreach (var argument in request.Arguments)
        {
            if (argument.Contains('\0')) throw new ArgumentException("An argument contains NUL.", nameof(request));
            WriteBytes(body, Encoding.UTF8.GetBytes(argument));
        }
        if (request.Password is { } password) WriteBytes(body, password.Utf8);
        var payload = body.ToArray();
        CryptographicOperations.ZeroMemory(body.GetBuffer());
        return new AdminFrame(FrameType.AdminRequest, payload);
    }

    /// <summary>The request in <paramref name="frame"/>, or null when it does not parse exactly.</summary>
    public static AdminRequest? DecodeRequest(AdminFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Type != FrameType.AdminRequest) return null;
        var data = frame.Payload.Span;
        if (data.Length < 1) return null;
        var command = (AdminCommand)data[0];
        var arity = AdminCommands.Arity(command);
        if (arity < 0) return null;
        var pos = 1;
        var arguments = new List<string>(arity);
        Secret? password = null;
        for (var i = 0; i < arity; i++)
        {
            var secret = (command == AdminCommand.Auth && i == 1) || command == AdminCommand.Rekey;
            var max = secret ? BridgeProtocol.MaxPassword : BridgeProtocol.MaxUser;
            if (!TryBytes(data, ref pos, max, out var bytes)) return null;
            if (secret) password = new Secret(bytes);
            else arguments.Add(Encoding.UTF8.GetString(bytes));
        }
        if (pos != data.Length)
        {
            password?.Dispose();
            return null;
        }
        return new AdminRequest(command, arguments, password);
    }

    /// <summary>
    /// The frames of one response: <paramref name="text"/> cut on character boundaries into pieces of at
    /// most <see cref="MaxResponseText"/> bytes, every frame but the last flagged "more".
    /// </summary>
    public static IReadOnlyList<AdminFrame> EncodeResponse(AdminStatus status, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!Enum.IsDefined(status)) throw new ArgumentException("Unknown admin status.", nameof(status));
        if (text.Contains('\0')) throw new ArgumentException("The text contains NUL.", nameof(text));
        var frames = new List<AdminFrame>();
        var rest = text;
        do
        {
            var piece = BridgeProtocol.TruncateUtf8(rest, MaxResponseText);
            rest = rest[piece.Length..];
            frames.Add(EncodeResponseFrame(new AdminResponse(status, piece, rest.Length > 0)));
        }
        while (rest.Length > 0);
        return frames;
    }

    public static AdminFrame EncodeResponseFrame(AdminResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var bytes = Encoding.UTF8.GetBytes(response.Text);
        if (bytes.Length > MaxResponseText) throw new ArgumentException($"Text exceeds {MaxResponseText} bytes.", nameof(response));
        var payload = new byte[2 + 2 + bytes.Length];
        payload[0] = (byte)response.Status;
        payload[1] = response.More ? ResponseFlagMore : (byte)0;
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), (ushort)bytes.Length);
        bytes.CopyTo(payload, 4);
        return new AdminFrame(FrameType.AdminResponse, payload);
    }

    /// <summary>The response in <paramref name="frame"/>, or null when it does not parse exactly.</summary>
    public static AdminResponse? DecodeResponse(AdminFrame frame)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (frame.Type != FrameType.AdminResponse) return null;
        var data = frame.Payload.Span;
        if (data.Length < 2 || !Enum.IsDefined((AdminStatus)data[0]) || (data[1] & ~ResponseFlagMore) != 0) return null;
        var pos = 2;
        if (!TryBytes(data, ref pos, MaxResponseText, out var text) || pos != data.Length) return null;
        return new AdminResponse((AdminStatus)data[0], Encoding.UTF8.GetString(text), (data[1] & ResponseFlagMore) != 0);
    }

    private static void WriteBytes(MemoryStream body, ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxArgument) throw new ArgumentException($"An argument exceeds {MaxArgument} bytes.");
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(length, (ushort)value.Length);
        body.Write(length);
        body.Write(value);
    }

    private static bool TryBytes(ReadOnlySpan<byte> data, ref int pos, int max, out ReadOnlySpan<byte> value)
    {
        value = default;
        if (data.Length - pos < 2) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
        if (length > max || data.Length - pos - 2 < length) return false;
        var candidate = data.Slice(pos + 2, length);
        if (candidate.Contains((byte)0) || !Utf8.IsValid(candidate)) return false;
        value = candidate;
        pos += 2 + length;
        return true;
    }
}
