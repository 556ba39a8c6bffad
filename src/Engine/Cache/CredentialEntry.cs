using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Cache;

/// <summary>
/// One user's cached credential, the plaintext of a <c>.cred</c> file (DESIGN §3.5).
/// Times are Unix seconds. <see cref="Parameters"/> is null for entries written without them
/// (Open Bastion 0.6), which are verified with <see cref="Argon2Parameters.Legacy"/>.
/// </summary>
public sealed record CredentialEntry
{
    public int Version { get; init; } = 1;
    public required string User { get; init; }
    public long CreatedAt { get; init; }
    public long ExpiresAt { get; init; }
    public long LastSuccess { get; init; }
    public int FailedAttempts { get; init; }
    public long LockedUntil { get; init; }
    public required byte[] PasswordHash { get; init; }
    public required byte[] Salt { get; init; }
    public string? Gecos { get; init; }
    public string? Shell { get; init; }
    public string? Home { get; init; }
    public Argon2Parameters? Parameters { get; init; }

    /// <summary>The parameters this entry's verifier was computed with.</summary>
    public Argon2Parameters EffectiveParameters => Parameters ?? Argon2Parameters.Legacy;

    // The verifier and its salt never appear in ToString (records print every member).
    private bool PrintMembers(StringBuilder b)
    {
        b.Append($"User = {User}, CreatedAt = {CreatedAt}, ExpiresAt = {ExpiresAt}, LastSuccess = {LastSuccess}, ");
        b.Append($"FailedAttempts = {FailedAttempts}, LockedUntil = {LockedUntil}, Parameters = {EffectiveParameters}, ");
        b.Append("PasswordHash = ***, Salt = ***");
        return true;
    }
}
