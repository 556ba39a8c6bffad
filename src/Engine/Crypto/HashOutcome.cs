namespace OpenBastion.Engine.Crypto;

/// <summary>The result of a job given to the <see cref="HashingGate"/>.</summary>
public abstract record HashOutcome
{
    private HashOutcome() { }

    /// <summary>
    /// A new verifier's 32-byte Argon2id output. <paramref name="CanMatch"/> is false when a stand-in was
    /// hashed in place of an empty password (no verifier is ever written for it).
    /// </summary>
    public sealed record Computed(byte[] Hash, bool CanMatch = true) : HashOutcome
    {
        public override string ToString() => "Computed(***)";
    }

    /// <summary>A password checked against a verifier (constant-time; an empty password never matches).</summary>
    public sealed record Checked(bool Matches) : HashOutcome
    {
        public static readonly Checked Match = new(true);
        public static readonly Checked Mismatch = new(false);
    }

    /// <summary>
    /// Refused at enqueue: the queue was at its bound, or the work queued ahead of the job would not
    /// let it finish by its deadline. Nothing was hashed; the caller answers "busy".
    /// </summary>
    public sealed record Overloaded : HashOutcome
    {
        public static readonly Overloaded Instance = new();
    }

    /// <summary>The job's deadline passed while it waited; it was not hashed.</summary>
    public sealed record DeadlinePassed : HashOutcome
    {
        public static readonly DeadlinePassed Instance = new();
    }
}
