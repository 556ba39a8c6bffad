using Akka.Actor;
using Akka.Event;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Maintenance;

namespace OpenBastion.Actors.Users;

// Operator and janitor requests, served between authentications (DESIGN §3.9). The decisions and their
// bookkeeping are Engine's CacheMaintenance, the same the admin tool uses with the daemon stopped.
internal sealed partial class UserActor
{
    private CacheMaintenance? _maintenance;

    private CacheMaintenance Maintenance => _maintenance ??= new CacheMaintenance(_services.Store, _expiry, _services.Guard);

    private void HandleAdmin(IUserAdminMessage message)
    {
        try
        {
            var answer = message switch
            {
                Unlock u => (object)Maintenance.Unlock(u.User, Now),
                Invalidate i => Maintenance.Invalidate(i.User),
                Inspect i => Maintenance.Describe(_services.Store.Read(i.User), Now),
                _ => new AdminFailed("unknown request"),
            };
            if (answer is UnlockOutcome.Unlocked) _log.Info("offline lockout cleared for user '{0}' by operator", message.User);
            if (answer is InvalidateOutcome.Removed) _log.Info("offline cache entry for user '{0}' invalidated by operator", message.User);
            Sender.Tell(answer);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CredentialStoreException)
        {
            _log.Error("admin {0} failed for entity {1} ({2})", message.GetType().Name, _key, ex.GetType().Name);
            Sender.Tell(new AdminFailed(ex.GetType().Name));
        }
    }

    /// <summary>
    /// A janitor command for this key. An entity the registry created only for it (nothing else had
    /// woken it) asks to be passivated at once, through the usual path, so a sweep over many keys
    /// leaves no crowd of idle entities behind.
    /// </summary>
    private void HandleKeyCommand(KeyCommand command)
    {
        var outcome = command.Action switch
        {
            KeyAction.Invalidate => Maintenance.RemoveKey(command.Key),
            KeyAction.Expire => Maintenance.SettleKey(command.Key, SweepKind.Expire, Now),
            _ => Maintenance.SettleKey(command.Key, SweepKind.Cleanup, Now),
        };
        LogSettled(command, outcome);
        Sender.Tell(new KeySettled(command.Key, outcome));
        if (command.SpawnedForIt) Context.Parent.Tell(Passivate.Instance);
    }

    private void LogSettled(KeyCommand command, KeyOutcome outcome)
    {
        switch (outcome)
        {
            case KeyOutcome.ExpiredRemoved:
                _log.Info("offline cache entry {0} expired, removed", command.Key);
                break;
            case KeyOutcome.EmptyRemoved:
                _log.Warning("offline cache file {0} was empty, removed", command.Key);
                break;
            case KeyOutcome.Quarantined:
                _log.Warning("offline cache file {0} unreadable, quarantined", command.Key);
                break;
            case KeyOutcome.Unreadable:
                _log.Error("offline cache file {0} could not be read; left in place", command.Key);
                break;
            case KeyOutcome.Frozen:
                _log.Error("offline cache file {0}: {1} skipped, offline cache frozen ({2})", command.Key, command.Action, _services.Guard.Reason);
                break;
            case KeyOutcome.Failed:
                _log.Error("offline cache file {0}: {1} failed", command.Key, command.Action);
                break;
        }
    }
}
