using System.Security.Cryptography;
using System.Text;

namespace OpenBastion.Engine.Cache;

/// <summary>
/// Names of cache files (DESIGN §3.5): the key is the first 16 bytes of SHA-256("cred:" + user) in
/// lowercase hex; the file is <c>key.cred</c>. Temporary files are <c>.key.random.tmp</c>.
/// </summary>
public static class CacheFileName
{
    public const string Extension = ".cred";
    public const string TemporarySuffix = ".tmp";
    public const int KeyLength = 32;

    public static string KeyFor(string user)
    {
        ArgumentNullException.ThrowIfNull(user);
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes("cred:" + user), digest);
        return Convert.ToHexStringLower(digest[..16]);
    }

    public static string FileName(string user) => KeyFor(user) + Extension;

    public static string FileNameForKey(string key) =>
        IsValidKey(key) ? key + Extension : throw new ArgumentException("not a cache key (32 lowercase hex digits)", nameof(key));

    /// <summary>32 lowercase hex digits, nothing else.</summary>
    public static bool IsValidKey(string? key)
    {
        if (key is null || key.Length != KeyLength) return false;
        foreach (var c in key)
            if (c is not (>= '0' and <= '9' or >= 'a' and <= 'f')) return false;
        return true;
    }

    /// <summary>The key of a <c>key.cred</c> file name, or null when the name is not one.</summary>
    public static string? KeyOfEntryFile(string fileName)
    {
        if (!fileName.EndsWith(Extension, StringComparison.Ordinal)) return null;
        var key = fileName[..^Extension.Length];
        return IsValidKey(key) ? key : null;
    }

    /// <summary>A fresh temporary name for a write of <paramref name="key"/>'s file.</summary>
    public static string NewTemporaryName(string key) =>
        $".{key}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}{TemporarySuffix}";

    /// <summary>True for names made by <see cref="NewTemporaryName"/>.</summary>
    public static bool IsTemporaryName(string fileName)
    {
        if (!fileName.StartsWith('.') || !fileName.EndsWith(TemporarySuffix, StringComparison.Ordinal)) return false;
        var middle = fileName[1..^TemporarySuffix.Length];
        var dot = middle.IndexOf('.');
        return dot == KeyLength && IsValidKey(middle[..dot]) && middle.Length > dot + 1;
    }
}
