using OpenBastion.Actors.Users;
using OpenBastion.Engine.Cache;

namespace OpenBastion.Actors.Tests.Doubles;

/// <summary>The credential store in memory, with failure injection and counters.</summary>
public sealed class InMemoryCredentialStore(TimeProvider time) : ICredentialStore
{
    private readonly object _lock = new();
    private readonly Dictionary<string, CredentialEntry> _entries = new();
    private readonly Dictionary<string, ReadFailure> _unreadable = new();
    private readonly Dictionary<string, DateTimeOffset> _temporary = new();
    private readonly List<string> _quarantined = [];

    public string Directory => "/memory";

    /// <summary>Every Write throws while set.</summary>
    public bool FailWrites { get; set; }
    /// <summary>The next N writes throw.</summary>
    public int FailNextWrites { get; set; }
    public int Writes { get; private set; }
    public int Deletes { get; private set; }
    private int _reads;
    /// <summary>How many reads of an entry (by user or by key) were served.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public static string KeyOf(string user) => UserKey.For(user);

    public void Put(CredentialEntry entry) { lock (_lock) { _entries[KeyOf(entry.User)] = entry; } }
    public void PutUnreadable(string key, ReadFailure failure = ReadFailure.AuthenticationFailed) { lock (_lock) { _unreadable[key] = failure; } }
    public void PutTemporary(string path, DateTimeOffset lastWrite) { lock (_lock) { _temporary[path] = lastWrite; } }
    public CredentialEntry? Get(string user) { lock (_lock) { return _entries.GetValueOrDefault(KeyOf(user)); } }
    public bool Has(string user) => Get(user) is not null;
    public int Count { get { lock (_lock) { return _entries.Count + _unreadable.Count; } } }
    public IReadOnlyList<string> Quarantined { get { lock (_lock) { return _quarantined.ToList(); } } }
    public IReadOnlyCollection<string> Temporary { get { lock (_lock) { return _temporary.Keys.ToList(); } } }

    public ReadOutcome Read(string user) => ReadByKey(KeyOf(user));

    public ReadOutcome ReadByKey(string key)
    {
        Interlocked.Increment(ref _reads);
        lock (_lock)
        {
            if (_unreadable.TryGetValue(key, out var failure)) return new ReadOutcome.Unreadable(failure, "injected");
            return _entries.TryGetValue(key, out var entry) ? new ReadOutcome.Found(entry) : ReadOutcome.NotFound.Instance;
        }
    }

    public void Write(CredentialEntry entry)
    {
        lock (_lock)
        {
            if (FailWrites || FailNextWrites > 0)
            {
                if (FailNextWrites > 0) FailNextWrites--;
                throw new CredentialStoreException("injected write failure");
            }
            Writes++;
            _entries[KeyOf(entry.User)] = entry;
        }
    }

    private int _padWrites;
    /// <summary>How many timing-parity pad writes were made (never entries).</summary>
    public int PadWrites => Volatile.Read(ref _padWrites);

    public void WritePad()
    {
        lock (_lock)
        {
            if (FailWrites) throw new CredentialStoreException("injected write failure");
        }
        Interlocked.Increment(ref _padWrites);
    }

    public bool Delete(string user) => DeleteByKey(KeyOf(user));

    public bool DeleteByKey(string key)
    {
        lock (_lock)
        {
            Deletes++;
            return _entries.Remove(key) | _unreadable.Remove(key);
        }
    }

    public IReadOnlyList<StoredFile> Enumerate()
    {
        lock (_lock)
        {
            return _entries.Keys.Concat(_unreadable.Keys)
                .Select(k => new StoredFile(k, $"/memory/{k}.cred", 200, time.GetUtcNow())).ToList();
        }
    }

    public IReadOnlyList<string> OrphanedTemporaryFiles(TimeSpan olderThan)
    {
        lock (_lock)
        {
            var now = time.GetUtcNow();
            return _temporary.Where(t => now - t.Value >= olderThan).Select(t => t.Key).ToList();
        }
    }

    public void RemoveTemporaryFile(string path) { lock (_lock) { _temporary.Remove(path); } }

    public string Quarantine(string key)
    {
        lock (_lock)
        {
            _unreadable.Remove(key);
            _entries.Remove(key);
            _quarantined.Add(key);
            return $"/memory/quarantine/{key}.cred";
        }
    }
}
