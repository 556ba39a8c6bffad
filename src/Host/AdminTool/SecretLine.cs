using System.Security.Cryptography;
using System.Text.Unicode;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// Reads one line holding a secret (<c>auth --password-stdin</c>) from a byte stream straight into a
/// byte buffer: no string, no text reader's internal buffer ever holds it. The caller zeroes the result.
/// </summary>
public static class SecretLine
{
    /// <summary>
    /// The bytes before the first <c>\n</c> (a trailing <c>\r</c> removed), at most <paramref name="maxBytes"/>;
    /// null when the stream ends before any byte. Throws <see cref="AdminFailure"/> (usage) for a line that
    /// is too long, holds NUL or is not UTF-8. Reads one byte at a time, so nothing past the line is consumed.
    /// </summary>
    public static byte[]? Read(Stream input, int maxBytes)
    {
        var buffer = new byte[maxBytes + 1];
        var length = 0;
        var any = false;
        try
        {
            while (true)
            {
                var b = input.ReadByte();
                if (b < 0)
                {
                    if (!any) return null;
                    break;
                }
                any = true;
                if (b == '\n') break;
                if (length == buffer.Length)
                    throw new AdminFailure(AdminExitCodes.Usage, $"the password is longer than {maxBytes} bytes");
                buffer[length++] = (byte)b;
            }
            if (length > 0 && buffer[length - 1] == '\r') length--;
            if (length > maxBytes)
                throw new AdminFailure(AdminExitCodes.Usage, $"the password is longer than {maxBytes} bytes");
            var line = buffer.AsSpan(0, length);
            if (line.Contains((byte)0) || !Utf8.IsValid(line))
                throw new AdminFailure(AdminExitCodes.Usage, "the password is not UTF-8 text without NUL");
            return line.ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }
}
