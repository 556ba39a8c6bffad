using Akka.Event;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

/// <summary>
/// Applies a <see cref="KeyCommand"/> to one file. Called only by the owner of the key (its user actor,
/// or the registry while no actor exists), so it never races an authentication of the same user.
/// </summary>
internal static class EntrySettlement
{
    /// <remarks>
    /// Invalidate (from <c>clear</c>, an explicit recovery command) is applied even while the cache is frozen;
    /// a sweep's <see cref="KeyAction.ExpireIfStale"/> is not: frozen, nothing is deleted or quarantined. An entry
    /// that does not decrypt is quarantined only while the cache is not frozen (the janitor recorded the read in
    /// <paramref name="guard"/>); one that cannot be read (I/O) is left in place.
    /// </remarks>
    public static KeyOutcome Apply(ICredentialStore store, KeyCommand command, ExpiryPolicy expiry, DateTimeOffset now, ILoggingAdapter log, CacheGuard guard)
    {
        try
        {
            if (command.Action == KeyAction.Invalidate)
                return store.DeleteByKey(command.Key) ? KeyOutcome.Removed : KeyOutcome.Missing;
            if (guard.Frozen) return KeyOutcome.Kept;

            switch (store.ReadByKey(command.Key))
            {
                case ReadOutcome.NotFound:
                    return KeyOutcome.Missing;
                case ReadOutcome.Unreadable { Failure: ReadFailure.IoError } io:
                    log.Error("offline cache file {0} could not be read ({1}); left in place", command.Key, io.Detail);
                    return KeyOutcome.Failed;
                case ReadOutcome.Unreadable { Failure: ReadFailure.AuthenticationFailed } when guard.Frozen:
                    return KeyOutcome.Kept;
                case ReadOutcome.Unreadable u:
                    var moved = store.Quarantine(command.Key);
                    log.Warning("offline cache file {0} unreadable ({1}), quarantined to {2}", command.Key, u.Failure, moved);
                    return KeyOutcome.Quarantined;
                case ReadOutcome.Found f when expiry.IsExpired(f.Entry, now):
                    store.DeleteByKey(command.Key);
                    log.Info("offline cache entry for user '{0}' expired, removed", f.Entry.User);
                    return KeyOutcome.Removed;
                default:
                    return KeyOutcome.Kept;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            log.Error("offline cache file {0}: {1} failed ({2})", command.Key, command.Action, ex.GetType().Name);
            return KeyOutcome.Failed;
        }
    }
}
