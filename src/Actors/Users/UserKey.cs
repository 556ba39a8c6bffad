using OpenBastion.Engine.Cache;

namespace OpenBastion.Actors.Users;

/// <summary>
/// The entity key of a user: the cache file's hash (DESIGN §3.5), so actor paths and dead-letter
/// logs never show user names.
/// </summary>
internal static class UserKey
{
    public static string For(string user) => CacheFileName.KeyFor(user);
}
