namespace OpenBastion.Actors.Hashing;

/// <summary>The result of a job given to the <see cref="HashingGate"/>.</summary>
public abstract record HashOutcome
{
    private HashOutcome() { }

    /// <summary>The 32-byte Argon2id output.</summary>
    public sealed record Computed(byte[] Hash) : HashOutcome
    {
        public override string ToString() => "Computed(***)";
    }

    /// <summary>The job's deadline passed while it waited; it was not hashed.</summary>
    public sealed record DeadlinePassed : HashOutcome
    {
        public static readonly DeadlinePassed Instance = new();
    }
}
