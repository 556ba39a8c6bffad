using System.Text;
using OpenBastion.Wire;
using static OpenBastion.Fuzz.FuzzAssertionException;

namespace OpenBastion.Fuzz;

/// <summary>The admin payloads (ADMIN_REQUEST from ob-cache-admin, ADMIN_RESPONSE from the daemon).</summary>
internal static class AdminTargets
{
    /// <summary>
    /// The bytes as the payload of both admin frame types: decoding never throws, and whatever
    /// decodes re-encodes to the same payload. Then the bytes as a response text (when they are
    /// UTF-8 without NUL), made long enough to span frames: <see cref="AdminCodec.EncodeResponse"/>
    /// cuts it on character boundaries, every piece decodes, and the pieces join to the text.
    /// </summary>
    public static void Run(byte[] payload)
    {
        Decode(new AdminFrame(FrameType.AdminRequest, payload));
        Decode(new AdminFrame(FrameType.AdminResponse, payload));
        Split(payload);
    }

    /// <summary>Decodes an admin frame's payload; what decodes must re-encode to the same bytes.</summary>
    public static void Decode(AdminFrame frame)
    {
        if (frame.Type == FrameType.AdminRequest)
        {
            using var request = AdminCodec.DecodeRequest(frame);
            if (request is null) return;
            Check(request.Arguments.Count + (request.Password is null ? 0 : 1) == AdminCommands.Arity(request.Command),
                $"{request.Command} decoded with the wrong arity");
            var again = AdminCodec.EncodeRequest(request);
            Check(again.Payload.Span.SequenceEqual(frame.Payload.Span), $"{request.Command} does not re-encode to its bytes");
        }
        else
        {
            var response = AdminCodec.DecodeResponse(frame);
            if (response is null) return;
            var again = AdminCodec.EncodeResponseFrame(response);
            Check(again.Payload.Span.SequenceEqual(frame.Payload.Span), "ADMIN_RESPONSE does not re-encode to its bytes");
        }
    }

    private static void Split(byte[] bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return;
        }
        if (text.Length == 0 || text.Contains('\0')) return;
        var repeat = AdminCodec.MaxResponseText / bytes.Length + 2;
        var longText = string.Concat(Enumerable.Repeat(text, repeat));
        var frames = AdminCodec.EncodeResponse(AdminStatus.Ok, longText);
        var joined = new StringBuilder();
        for (var i = 0; i < frames.Count; i++)
        {
            var body = FrameWriter.Encode(frames[i]);
            var parsed = FrameParser.Parse(body.AsSpan(BridgeProtocol.HeaderSize));
            Check(parsed.Frame is AdminFrame, $"response frame {i} does not parse: {parsed.Error}");
            var response = AdminCodec.DecodeResponse((AdminFrame)parsed.Frame!);
            Check(response is not null, $"response frame {i} does not decode");
            Check(response!.More == (i < frames.Count - 1), $"response frame {i} has the wrong 'more' flag");
            Check(response.Text.Length > 0 || frames.Count == 1, $"response frame {i} is empty");
            joined.Append(response.Text);
        }
        Check(joined.ToString() == longText, "the response pieces do not join to the text");
    }
}
