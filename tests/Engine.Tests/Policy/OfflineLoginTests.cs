using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Crypto;
using OpenBastion.Engine.Online;
using OpenBastion.Engine.Policy;

namespace OpenBastion.Engine.Tests.Policy;

/// <summary>
/// The offline decision (DESIGN §3.1 steps 5–6, §3.2, §3.3) as a table: one row per case, on a fixed now,
/// with the default policies (5 attempts; lock 30 s × 2ⁿ up to 3600 s; ttl 86400 s; max ttl 604800 s).
/// An entry is given by its times relative to now (created so many seconds ago, expiring in so many seconds,
/// locked until so many seconds from now; null = never locked) and its failure count; no created → no entry. A decision is
/// rendered "change | reply | event", times relative to now, "+known" when the caller may remember the lock.
/// </summary>
public sealed class OfflineLoginTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_795_356_719);
    private static readonly OfflineLogin Login = new(
        new LockoutPolicy(5, TimeSpan.FromSeconds(30), 2.0, TimeSpan.FromSeconds(3600)),
        new ExpiryPolicy(TimeSpan.FromSeconds(86400), TimeSpan.FromSeconds(604800)));

    [Theory]
    //          case                                    created expires fail locked expected
    [InlineData("no entry: hash a dummy",               null,   0,     0, null, "hash")]
    [InlineData("active: hash its verifier",            21600,  64800, 0, null, "hash")]
    [InlineData("active with failures: hash",           21600,  64800, 3, null, "hash")]
    [InlineData("expires now: delete",                  21600,  0,     0, null, "delete | Expired | expired")]
    [InlineData("past expires_at: delete",              90000,  -3600, 0, null, "delete | Expired | expired")]
    [InlineData("past created + max ttl: delete",       604800, 3600,  0, null, "delete | Expired | expired")]
    [InlineData("locked: refuse, no hash, not counted", 21600,  64800, 7, 120,  "none | Locked(120) | blocked(120) +known")]
    [InlineData("locked 1 s more: refuse",              21600,  64800, 5, 1,    "none | Locked(1) | blocked(1) +known")]
    [InlineData("lock ends now: hash",                  21600,  64800, 5, 0,    "hash")]
    [InlineData("lock ended: hash",                     21600,  64800, 5, -10,  "hash")]
    [InlineData("locked and expired: expiry first",     21600,  -1,    7, 120,  "delete | Expired | expired")]
    public void Before_hashing(string @case, int? createdAgo, int expiresIn, int failures, int? lockedFor, string expected)
    {
        _ = @case;
        var decision = Login.BeforeHashing(Entry(createdAgo, expiresIn, failures, lockedFor), Now);
        Assert.Equal(expected, decision is null ? "hash" : Render(decision));
    }

    [Theory]
    //          case                                       created expires fail locked outcome  expected
    [InlineData("no entry, dummy hashed: pad write",       null,   0,     0,  null, "mismatch", "pad | NotCached | not-cached")]
    [InlineData("no entry, shed by the gate: busy",        null,   0,     0,  null, "shed",     "none | Busy | not-cached")]
    [InlineData("no entry, deadline passed",               null,   0,     0,  null, "late",     "none | TimedOut | not-cached")]
    [InlineData("shed by the gate: busy, nothing counted", 21600,  64800, 3,  null, "shed",     "none | Busy | -")]
    [InlineData("deadline passed: nothing counted",        21600,  64800, 3,  null, "late",     "none | TimedOut | -")]
    [InlineData("match: reset, slide by ttl",              21600,  64800, 0,  null, "match",    "write(f=0,lock=0,exp=+86400,last=+0) | Success(21600) | success(21600)")]
    [InlineData("match after failures: reset them",        21600,  64800, 4,  -10,  "match",    "write(f=0,lock=0,exp=+86400,last=+0) | Success(21600) | success(21600)")]
    [InlineData("match near max ttl: slide capped",        601200, 3000,  0,  null, "match",    "write(f=0,lock=0,exp=+3600,last=+0) | Success(601200) | success(601200)")]
    [InlineData("mismatch: count",                         21600,  64800, 2,  null, "mismatch", "write(f=3,lock=0,exp=+64800,last=-21600) | WrongPassword | mismatch(3/5)")]
    [InlineData("4th mismatch: still no lock",             21600,  64800, 3,  null, "mismatch", "write(f=4,lock=0,exp=+64800,last=-21600) | WrongPassword | mismatch(4/5)")]
    [InlineData("5th mismatch: locked 30 s",               21600,  64800, 4,  null, "mismatch", "write(f=5,lock=+30,exp=+64800,last=-21600) | WrongPassword | mismatch(5/5, locked 30) +known")]
    [InlineData("6th mismatch: locked 60 s",               21600,  64800, 5,  -1,   "mismatch", "write(f=6,lock=+60,exp=+64800,last=-21600) | WrongPassword | mismatch(6/5, locked 60) +known")]
    [InlineData("8th mismatch: locked 240 s",              21600,  64800, 7,  -1,   "mismatch", "write(f=8,lock=+240,exp=+64800,last=-21600) | WrongPassword | mismatch(8/5, locked 240) +known")]
    [InlineData("13th mismatch: capped at 3600 s",         21600,  64800, 12, -1,   "mismatch", "write(f=13,lock=+3600,exp=+64800,last=-21600) | WrongPassword | mismatch(13/5, locked 3600) +known")]
    [InlineData("expired while hashed, match: delete",     21600,  0,     0,  null, "match",    "delete | Expired | expired")]
    [InlineData("expired while hashed, mismatch: delete",  604800, 100,   4,  null, "mismatch", "delete | Expired | expired")]
    public void After_hashing(string @case, int? createdAgo, int expiresIn, int failures, int? lockedFor, string outcome, string expected)
    {
        _ = @case;
        var hashed = outcome switch
        {
            "match" => HashOutcome.Checked.Match,
            "mismatch" => HashOutcome.Checked.Mismatch,
            "shed" => HashOutcome.Overloaded.Instance,
            "late" => (HashOutcome)HashOutcome.DeadlinePassed.Instance,
            _ => throw new ArgumentException(outcome),
        };
        Assert.Equal(expected, Render(Login.AfterHashing(Entry(createdAgo, expiresIn, failures, lockedFor), hashed, Now)));
    }

    [Fact]
    public void A_success_answers_the_cached_attributes_and_keeps_the_verifier()
    {
        var entry = Entry(3600, 82800, 2, null)! with { Gecos = "Alice", Shell = "/bin/zsh", Home = "/home/alice", Parameters = Argon2Parameters.Default };
        var decision = Login.AfterHashing(entry, HashOutcome.Checked.Match, Now);
        var success = Assert.IsType<OfflineReply.Success>(decision.Reply);
        Assert.Equal(new UserAttributes("Alice", "/bin/zsh", "/home/alice"), success.Attributes);
        var written = Assert.IsType<EntryChange.Write>(decision.Change).Entry;
        Assert.Equal(entry with { FailedAttempts = 0, LockedUntil = 0, LastSuccess = Now.ToUnixTimeSeconds(), ExpiresAt = Now.ToUnixTimeSeconds() + 86400 }, written);
        Assert.Same(entry.PasswordHash, written.PasswordHash);
    }

    [Fact]
    public void A_remembered_lock_holds_no_verifier()
    {
        var decision = Login.BeforeHashing(Entry(60, 86000, 5, 30), Now)!;
        Assert.Empty(decision.KnownLock!.PasswordHash);
        Assert.Empty(decision.KnownLock.Salt);
        Assert.Equal(Now.ToUnixTimeSeconds() + 30, decision.KnownLock.LockedUntil);
    }

    [Fact]
    public void A_verification_never_answers_a_computed_hash()
    {
        Assert.Throws<ArgumentException>(() => Login.AfterHashing(Entry(60, 60, 0, null), new HashOutcome.Computed(new byte[32]), Now));
    }

    private static CredentialEntry? Entry(long? createdAgo, long expiresIn, int failures, long? lockedFor)
    {
        if (createdAgo is not { } ago) return null;
        var now = Now.ToUnixTimeSeconds();
        return new CredentialEntry
        {
            User = "alice",
            CreatedAt = now - ago,
            ExpiresAt = now + expiresIn,
            LastSuccess = now - ago,
            FailedAttempts = failures,
            LockedUntil = lockedFor is { } l ? now + l : 0,
            PasswordHash = [1, 2, 3],
            Salt = [4, 5, 6],
        };
    }

    private static string Render(OfflineDecision d)
    {
        var now = Now.ToUnixTimeSeconds();
        static string Rel(long t, long now) => t - now >= 0 ? $"+{t - now}" : $"{t - now}";
        var change = d.Change switch
        {
            EntryChange.None => "none",
            EntryChange.Pad => "pad",
            EntryChange.Delete => "delete",
            EntryChange.Write { Entry: var e } =>
                $"write(f={e.FailedAttempts},lock={(e.LockedUntil == 0 ? "0" : Rel(e.LockedUntil, now))},exp={Rel(e.ExpiresAt, now)},last={Rel(e.LastSuccess, now)})",
            _ => "?",
        };
        var reply = d.Reply switch
        {
            OfflineReply.Success s => $"Success({(long)s.CachedFor.TotalSeconds})",
            OfflineReply.Locked l => $"Locked({l.SecondsLeft})",
            var other => other.GetType().Name,
        };
        var logged = d.Event switch
        {
            null => "-",
            OfflineEvent.Succeeded s => $"success({(long)s.CachedFor.TotalSeconds})",
            OfflineEvent.Mismatched { LockedForSeconds: { } locked } m => $"mismatch({m.Attempt}/{m.MaxAttempts}, locked {locked})",
            OfflineEvent.Mismatched m => $"mismatch({m.Attempt}/{m.MaxAttempts})",
            OfflineEvent.Blocked b => $"blocked({b.SecondsLeft})",
            OfflineEvent.Expired => "expired",
            OfflineEvent.NotCached => "not-cached",
            _ => "?",
        };
        return $"{change} | {reply} | {logged}" + (d.KnownLock is null ? "" : " +known");
    }
}
