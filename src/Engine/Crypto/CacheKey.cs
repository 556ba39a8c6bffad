using System.Security.Cryptography;

namespace OpenBastion.Engine.Crypto;

/// <summary>
/// The 32-byte AES-256-GCM key of the offline cache (DESIGN §3.5). Its <see cref="ToString"/> never
/// shows the bytes; <see cref="Dispose"/> zeroes them.
/// </summary>
public sealed class CacheKey : IDisposable
{
    public const int Length = 32;

    private readonly byte[] _key;
    private bool _disposed;

    /// <param name="key">exactly 32 bytes (copied)</param>
    /// <param name="usedKeyFile">whether a key file went into the derivation (false: machine-id only, weaker)</param>
    /// <param name="machineIdSource">the file the machine-id text came from</param>
    public CacheKey(ReadOnlySpan<byte> key, bool usedKeyFile, string machineIdSource)
    {
        if (key.Length != Length) throw new ArgumentException($"a cache key is {Length} bytes", nameof(key));
        _key = key.ToArray();
        UsedKeyFile = usedKeyFile;
        MachineIdSource = machineIdSource;
    }

    /// <summary>False when no key file was present: the key rests on the machine-id alone (log a warning).</summary>
    public bool UsedKeyFile { get; }

    /// <summary>Path of the file whose text was used as machine-id (<c>/etc/machine-id</c> or <c>.instance_id</c>).</summary>
    public string MachineIdSource { get; }

    /// <summary>The key bytes. Valid until the key is disposed.</summary>
    public ReadOnlySpan<byte> Bytes
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _key;
        }
    }

    public override string ToString() => $"CacheKey(***, UsedKeyFile = {UsedKeyFile}, MachineIdSource = {MachineIdSource})";

    public void Dispose()
    {
        if (_disposed) return;
        CryptographicOperations.ZeroMemory(_key);
        _disposed = true;
    }
}
