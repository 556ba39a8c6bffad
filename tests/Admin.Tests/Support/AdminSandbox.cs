using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Engine;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Host.Admin;
using OpenBastion.Host.AdminTool;

namespace OpenBastion.Admin.Tests.Support;

/// <summary>
/// A temporary root with a configuration file, a cache directory and a socket path, a virtual clock,
/// and the admin CLI run in-process against them (root check and terminal injectable).
/// </summary>
internal sealed partial class AdminSandbox : IAsyncDisposable
{
    /// <summary>Tiny Argon2id parameters for tests (m = 1024 KiB).</summary>
    public static readonly Argon2Parameters TinyArgon2 = new(1024, 1, 1);

    public static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-15T10:00:00Z");

    private AdminSandbox(string root)
    {
        Root = root;
        CacheDir = Path.Combine(root, "cache");
        SocketPath = Path.Combine(root, "run", "obactors.sock");
        ConfigFile = Path.Combine(root, "openbastion.conf");
        File.WriteAllText(Path.Combine(root, "machine-id"), "0123456789abcdef0123456789abcdef\n");
        File.WriteAllText(ConfigFile, $"""
            # admin tests
            portal_url = https://llng.invalid
            client_id = pam
            client_secret = s3cret-never-printed
            offline_cache_dir = {CacheDir}
            offline_cache_key_file = {Path.Combine(root, "cache.key")}
            machine_id_file = {Path.Combine(root, "machine-id")}
            socket_path = {SocketPath}
            offline_max_attempts = 3
            offline_lockout_initial = 120
            """);
        // It holds an inline client_secret: 0600, or the configuration is refused.
        File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string Root { get; }
    public string CacheDir { get; }
    public string SocketPath { get; }
    public string ConfigFile { get; }
    public FakeTimeProvider Time { get; } = new(Start);
    public ScriptedPortal Portal { get; } = new() { Mode = PortalMode.Refuse };
    public SignalLogger Logs { get; } = new();

    public static AdminSandbox Create() => new(Directory.CreateTempSubdirectory("obactors-admin-").FullName);

    /// <summary>The settings the daemon runs with (the file's, with tiny Argon2 parameters).</summary>
    public EngineSettings Settings() =>
        SettingsLoader.Load(ConfigFile, new Dictionary<string, string?>()) with { Argon2 = TinyArgon2 };

    public string SaltFile => Path.Combine(CacheDir, CacheKeyDerivation.SaltFileName);

    public string EntryFile(string user) => Path.Combine(CacheDir, CacheFileName.FileName(user));

    public static uint EffectiveUid => geteuid();

    /// <summary>Runs <c>ob-cache-admin ARGS</c> in-process.</summary>
    /// <param name="textIn">Replaces the text reader over <paramref name="stdin"/> (the byte stream stays <paramref name="stdin"/>).</param>
    public async Task<CliRun> RunAsync(string[] args, string stdin = "", bool terminal = false, bool root = true, TextReader? textIn = null)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var console = new AdminConsole
        {
            In = textIn ?? new StringReader(stdin),
            InputBytes = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stdin)),
            Out = stdout,
            Error = stderr,
            IsInputTerminal = terminal,
            IsRoot = () => root,
            Environment = new Dictionary<string, string?> { ["OB_CONFIG_FILE"] = ConfigFile },
            Time = Time,
            DaemonUid = EffectiveUid,
            ReadHidden = _ => stdin.TrimEnd('\n').ToCharArray(),
        };
        var code = await AdminCli.RunAsync(args, console);
        return new CliRun(code, stdout.ToString(), stderr.ToString());
    }

    public Task<CliRun> RunAsync(params string[] args) => RunAsync(args, "");

    /// <summary>Writes entries straight into the cache (as the daemon would have), with the cache's real key.</summary>
    public void Seed(Action<CacheSeeder> seed)
    {
        using var key = CacheKeyDerivation.Derive(Settings());
        using var store = new CredentialStore(CacheDir, key.Bytes, Time);
        seed(new CacheSeeder(store, Time.GetUtcNow()));
    }

    /// <summary>The mixed cache of the list/stats tests: alice active, bob locked, carol expired, one unreadable file.</summary>
    public void SeedMixed() => Seed(s =>
    {
        s.Active("alice", "pw-alice");
        s.Locked("bob", "pw-bob", failures: 3, lockedFor: TimeSpan.FromSeconds(120));
        s.Expired("carol", "pw-carol");
        s.Garbage("mallory");
    });

    public async ValueTask DisposeAsync()
    {
        await Task.CompletedTask;
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint geteuid();
}

internal sealed record CliRun(int Code, string Out, string Err)
{
    public override string ToString() => $"exit {Code}\n--- stdout\n{Out}--- stderr\n{Err}";
}

/// <summary>Writes test entries with a real verifier (tiny Argon2id).</summary>
internal sealed class CacheSeeder(CredentialStore store, DateTimeOffset now)
{
    public CredentialEntry Active(string user, string password) =>
        Write(user, password, now.AddHours(-1), now.AddHours(23), 0, 0);

    public CredentialEntry Locked(string user, string password, int failures, TimeSpan lockedFor) =>
        Write(user, password, now.AddHours(-2), now.AddHours(22), failures, now.Add(lockedFor).ToUnixTimeSeconds());

    public CredentialEntry Expired(string user, string password) =>
        Write(user, password, now.AddDays(-3), now.AddDays(-1), 0, 0);

    /// <summary>A file under <paramref name="user"/>'s name that is not an entry (bad magic): unreadable.</summary>
    public void Garbage(string user) =>
        File.WriteAllBytes(Path.Combine(store.Directory, CacheFileName.FileName(user)), RandomNumberGenerator.GetBytes(80));

    private CredentialEntry Write(string user, string password, DateTimeOffset created, DateTimeOffset expires, int failures, long lockedUntil)
    {
        using var secret = Secret.FromString(password);
        var (hash, salt) = Argon2HasherSelector.Default.CreateVerifier(secret, AdminSandbox.TinyArgon2);
        var entry = new CredentialEntry
        {
            User = user,
            CreatedAt = created.ToUnixTimeSeconds(),
            ExpiresAt = expires.ToUnixTimeSeconds(),
            LastSuccess = created.ToUnixTimeSeconds(),
            FailedAttempts = failures,
            LockedUntil = lockedUntil,
            PasswordHash = hash,
            Salt = salt,
            Gecos = user + " Test",
            Shell = "/bin/bash",
            Home = "/home/" + user,
            Parameters = AdminSandbox.TinyArgon2,
        };
        store.Write(entry);
        return entry;
    }
}
