using System.Security.Cryptography;
using System.Text;

namespace OpenBastion.Engine;

/// <summary>
/// A password (or other secret) as UTF-8 bytes. Its <see cref="ToString"/> never reveals the value,
/// so a secret can sit inside a record or a log template without leaking. Dispose zeroes the bytes.
/// </summary>
public sealed class Secret : IDisposable
{
    private readonly byte[] _utf8;
    private bool _disposed;

    public Secret(ReadOnlySpan<byte> utf8) => _utf8 = utf8.ToArray();

    public static Secret FromString(string value) => new(Encoding.UTF8.GetBytes(value));

    /// <summary>The secret's UTF-8 bytes. Valid until the secret is disposed.</summary>
    public ReadOnlySpan<byte> Utf8
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _utf8;
        }
    }

    public int Length => _utf8.Length;

    /// <summary>The secret as a string, for APIs that need one (an HTTP form body). Avoid elsewhere.</summary>
    public string Reveal() => Encoding.UTF8.GetString(Utf8);

    public override string ToString() => "***";

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_utf8);
        _disposed = true;
    }
}
