namespace OpenBastion.Actors.Hashing;

/// <summary>The result of a job given to the <see cref="HashingGate"/>.</summary>
public abstract record HashOutcome
{
    private HashOutcome() { }

    /// <summary>
    /// The 32-byte Argon2id output. <paramref name="CanMatch"/> is false when a stand-in was hashed in
    /// place of an empty password (Argon2 implementations refuse it; no verifier is ever written for it):
    /// the cost is the same, the comparison never succeeds.
    /// </summary>
    public sealed record Computed(byte[] Hash, bool CanMatch = true) : HashOutcome
    {
        public override string ToString() => "Computed(***)";
    }

    /// <summary>The job's deadline passed while it waited; it was not hashed.</summary>
    public sealed record DeadlinePassed : HashOutcome
    {
        public static readonly DeadlinePassed Instance = new();
    }
}
