using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace OpenBastion.Engine.Online;

/// <summary>
/// The <c>application/x-www-form-urlencoded</c> body of an OAuth2 resource-owner password grant with
/// <c>client_secret_post</c> authentication (client id and secret in the body, RFC 6749 §2.3.1, §4.3.2).
/// The password is encoded straight from the <see cref="Secret"/>'s bytes into a buffer that
/// <see cref="Dispose"/> zeroes, so it never becomes a managed string.
/// </summary>
internal sealed class PasswordGrantForm : IDisposable
{
    public const string Scope = "openid profile email";

    private readonly byte[] _buffer;
    private readonly int _length;

    public PasswordGrantForm(string clientId, string? clientSecret, string user, Secret password)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var secret = clientSecret is null ? null : Encoding.UTF8.GetBytes(clientSecret);
        var name = Encoding.UTF8.GetBytes(user);
        try
        {
            // room for the field names and separators, and for every value byte becoming %XX
            var capacity = 96 + 3 * (id.Length + (secret?.Length ?? 0) + name.Length + password.Length + Scope.Length);
            _buffer = new byte[capacity];
            var at = Field(_buffer, 0, "grant_type", "password"u8);
            at = Field(_buffer, at, "client_id", id);
            if (secret is not null) at = Field(_buffer, at, "client_secret", secret);
            at = Field(_buffer, at, "username", name);
            at = Field(_buffer, at, "password", password.Utf8);
            _length = Field(_buffer, at, "scope", Encoding.ASCII.GetBytes(Scope));
        }
        finally
        {
            if (secret is not null) CryptographicOperations.ZeroMemory(secret);
        }
    }

    /// <summary>An HTTP content over the buffer; valid until this form is disposed.</summary>
    public HttpContent ToContent()
    {
        var content = new ByteArrayContent(_buffer, 0, _length);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        return content;
    }

    public void Dispose() => CryptographicOperations.ZeroMemory(_buffer);

    public override string ToString() => "PasswordGrantForm(***)";

    private static int Field(byte[] into, int at, string name, ReadOnlySpan<byte> value)
    {
        if (at > 0) into[at++] = (byte)'&';
        at += Encoding.ASCII.GetBytes(name, into.AsSpan(at));
        into[at++] = (byte)'=';
        return Encode(value, into, at);
    }

    // HTML form encoding: unreserved bytes as is, space as '+', everything else %XX.
    private static int Encode(ReadOnlySpan<byte> value, byte[] into, int at)
    {
        foreach (var b in value)
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'*')
            {
                into[at++] = b;
            }
            else if (b == (byte)' ')
            {
                into[at++] = (byte)'+';
            }
            else
            {
                into[at++] = (byte)'%';
                into[at++] = Hex(b >> 4);
                into[at++] = Hex(b & 0xF);
            }
        }
        return at;
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'A' + nibble - 10);
}
