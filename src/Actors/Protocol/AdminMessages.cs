namespace OpenBastion.Actors.Protocol;

/// <summary>
/// Operator requests about one user, sent to the user registry, which routes them to that user's
/// actor so they are served between authentications, never during one.
/// </summary>
public interface IUserAdminMessage
{
    string User { get; }
}

/// <summary>Clear the user's offline lockout (failures reset). Reply: <see cref="Engine.Maintenance.UnlockOutcome"/>.</summary>
public sealed record Unlock(string User) : IUserAdminMessage;

/// <summary>Delete the user's cached entry. Reply: <see cref="Engine.Maintenance.InvalidateOutcome"/>.</summary>
public sealed record Invalidate(string User) : IUserAdminMessage;

/// <summary>Describe the user's entry without its verifier. Reply: <see cref="Engine.Maintenance.EntryDescription"/>.</summary>
public sealed record Inspect(string User) : IUserAdminMessage;

/// <summary>Delete every cached entry (each through its user's entity). Reply: <see cref="InvalidateAllResult"/>.</summary>
public sealed record InvalidateAll
{
    public static readonly InvalidateAll Instance = new();
}
