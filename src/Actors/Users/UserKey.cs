using System.Security.Cryptography;
using System.Text;

namespace OpenBastion.Actors.Users;

/// <summary>
/// The entity key of a user: the cache file's hash (DESIGN §3.5), so actor paths and dead-letter
/// logs never show user names. Same value as the engine's CacheFileName.KeyFor.
/// </summary>
internal static class UserKey
{
    // Private copy until OpenBastion.Engine.Cache.CacheFileName exists; switch to it then.
    public static string For(string user)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes("cred:" + user));
        return Convert.ToHexStringLower(digest.AsSpan(0, 16));
    }
}
