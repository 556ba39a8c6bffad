using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Actors.Users;

// Operator requests, served between authentications (DESIGN §3.9).
internal sealed partial class UserActor
{
    private void HandleAdmin(IUserAdminMessage message)
    {
        if (_services.Guard.Frozen && message is Unlock or Invalidate)
        {
            Sender.Tell(new AdminFailed($"offline cache frozen: {_services.Guard.Reason}"));
            return;
        }
        try
        {
            Sender.Tell(message switch
            {
                Unlock u => DoUnlock(u.User),
                Invalidate i => new InvalidateResult(DoInvalidate(i.User)),
                Inspect i => EntryInspection.Describe(i.User, _services.Store.Read(i.User), _expiry, Now),
                _ => new AdminFailed("unknown request"),
            });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Error("admin {0} failed for entity {1} ({2})", message.GetType().Name, _key, ex.GetType().Name);
            Sender.Tell(new AdminFailed(ex.GetType().Name));
        }
    }

    private object DoUnlock(string user)
    {
        switch (_services.Store.Read(user))
        {
            case ReadOutcome.Found { Entry: var entry }:
                var wasLocked = LockoutPolicy.IsLocked(entry, Now);
                _services.Store.Write(LockoutPolicy.Unlock(entry));
                _log.Info("offline lockout cleared for user '{0}' by operator", user);
                return new UnlockResult(true, wasLocked);
            case ReadOutcome.Unreadable u:
                return new AdminFailed($"entry unreadable ({u.Failure})");
            default:
                return new UnlockResult(false, false);
        }
    }

    private bool DoInvalidate(string user)
    {
        var removed = _services.Store.Delete(user);
        if (removed) _log.Info("offline cache entry for user '{0}' invalidated by operator", user);
        return removed;
    }
}
