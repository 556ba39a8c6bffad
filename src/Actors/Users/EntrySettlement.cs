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
    public static KeyOutcome Apply(ICredentialStore store, KeyCommand command, ExpiryPolicy expiry, DateTimeOffset now, ILoggingAdapter log)
    {
        try
        {
            if (command.Action == KeyAction.Invalidate)
                return store.DeleteByKey(command.Key) ? KeyOutcome.Removed : KeyOutcome.Missing;

            switch (store.ReadByKey(command.Key))
            {
                case ReadOutcome.NotFound:
                    return KeyOutcome.Missing;
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
