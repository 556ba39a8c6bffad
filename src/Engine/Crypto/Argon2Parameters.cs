namespace OpenBastion.Engine.Crypto;

/// <summary>Argon2id v1.3 cost parameters: memory in KiB, iterations (t), lanes (p).</summary>
public sealed record Argon2Parameters(int MemoryKiB, int Iterations, int Parallelism)
{
    /// <summary>New verifiers: m = 64 MiB, t = 3, p = 4 (DESIGN §3.6).</summary>
    public static readonly Argon2Parameters Default = new(65536, 3, 4);

    /// <summary>Entries that record no parameters were written by Open Bastion 0.6 with these.</summary>
    public static readonly Argon2Parameters Legacy = new(65536, 3, 1);

    public const int SaltLength = 16;
    public const int HashLength = 32;

    public override string ToString() => $"m={MemoryKiB},t={Iterations},p={Parallelism}";
}
