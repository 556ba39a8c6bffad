namespace OpenBastion.Engine.Cache;

/// <summary>A cache file found in the directory, named by its key (the 32-hex-digit file hash).</summary>
public sealed record StoredFile(string Key, string Path, long Length, DateTimeOffset LastWrite);

/// <summary>
/// The encrypted per-user files (DESIGN §3.5). All methods are synchronous and thread-safe for
/// different users; callers serialize access to one user (the user actor does).
/// </summary>
public interface ICredentialStore
{
    /// <summary>The cache directory.</summary>
    string Directory { get; }

    /// <summary>Reads and decrypts <paramref name="user"/>'s entry. Never throws.</summary>
    ReadOutcome Read(string user);

    /// <summary>Reads the file with this key without knowing the user; checks the name matches the payload's user.</summary>
    ReadOutcome ReadByKey(string key);

    /// <summary>Encrypts and writes atomically (temp file, fsync, rename, fsync dir). Throws <see cref="CredentialStoreException"/>.</summary>
    void Write(CredentialEntry entry);

    /// <summary>
    /// Timing parity: one atomic write of the same cost as <see cref="Write"/> (a dummy entry to the <c>.pad</c>
    /// scratch file), for the answers that would otherwise reply without persisting (not cached). Never an entry.
    /// Throws <see cref="CredentialStoreException"/>.
    /// </summary>
    void WritePad();

    /// <summary>Overwrites then unlinks the user's file. Returns false when there was none. Throws <see cref="CredentialStoreException"/>.</summary>
    bool Delete(string user);

    /// <summary>Same as <see cref="Delete"/> by file key.</summary>
    bool DeleteByKey(string key);

    /// <summary>Every <c>*.cred</c> file in the directory.</summary>
    IReadOnlyList<StoredFile> Enumerate();

    /// <summary>Temporary files left by interrupted writes (older than <paramref name="olderThan"/>).</summary>
    IReadOnlyList<string> OrphanedTemporaryFiles(TimeSpan olderThan);

    /// <summary>Deletes an orphaned temporary file.</summary>
    void RemoveTemporaryFile(string path);

    /// <summary>Moves an unreadable file into the quarantine folder (not destroyed). Returns its new path.</summary>
    string Quarantine(string key);
}
