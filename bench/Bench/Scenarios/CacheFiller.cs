using System.Diagnostics;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Bench.Load;

namespace OpenBastion.Bench.Scenarios;

/// <summary>
/// <c>fill</c>: writes cache entries directly with the engine's <see cref="CredentialStore"/> and the daemon's
/// key derivation (the daemon must be stopped: it holds the directory lock). Users are PREFIX000000…; every
/// entry holds a verifier of the same password with the configured Argon2 parameters (one hash, reused with
/// its salt: the daemon's work per login is the same as for distinct verifiers).
/// </summary>
internal static class CacheFiller
{
    public static int Run(Options o)
    {
        var settings = SettingsLoader.Load(o.Require("config"));
        var prefix = o.Require("user-prefix");
        var count = o.Int("count", 1);
        var first = o.Int("first", 0);
        var threads = o.Int("threads", 8);
        using var password = Secret.FromString(o.Require("password"));
        var results = Results.From(o);
        o.CheckAllUsed();

        var sw = Stopwatch.StartNew();
        using var key = CacheKeyDerivation.Derive(settings);
        using var store = new CredentialStore(settings.OfflineCacheDir, key.Bytes, TimeProvider.System);
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(password, settings.Argon2);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var ttl = (long)settings.OfflineCacheTtl.TotalSeconds;
        Parallel.For(first, first + count, new ParallelOptions { MaxDegreeOfParallelism = threads }, i =>
            store.Write(new CredentialEntry
            {
                User = LoadDriver.UserName(prefix, i),
                CreatedAt = now,
                ExpiresAt = now + ttl,
                LastSuccess = now,
                PasswordHash = hash,
                Salt = salt,
                Gecos = "bench user",
                Parameters = settings.Argon2,
            }));
        Console.WriteLine($"fill: {count} entries ({settings.Argon2}) in {settings.OfflineCacheDir} in {sw.Elapsed.TotalSeconds:F1} s");
        results.Put("entries", count);
        results.Put("fill_s", sw.Elapsed.TotalSeconds);
        return 0;
    }
}
