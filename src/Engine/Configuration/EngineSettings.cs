using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Configuration;

/// <summary>
/// The effective configuration from <c>openbastion.conf</c> (DESIGN §3.8), every key with its default.
/// Produced by <see cref="SettingsLoader"/>, which validates every value.
/// </summary>
public sealed record EngineSettings
{
    public const string DefaultConfigFile = "/etc/open-bastion/openbastion.conf";

    // --- LLNG portal ---
    public string? PortalUrl { get; init; }
    public string? ClientId { get; init; }
    /// <summary>The OAuth2 client secret (from client_secret or client_secret_file). Never printed.</summary>
    public string? ClientSecret { get; init; }
    public string? ClientSecretFile { get; init; }
    /// <summary>Time to wait for LLNG before declaring it unavailable (offline_timeout, default 5 s).</summary>
    public TimeSpan OfflineTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Used when the portal does not send a login shell.</summary>
    public string DefaultShell { get; init; } = "/bin/bash";
    /// <summary>Used when the portal does not send a home; <c>%u</c> is replaced by the user name.</summary>
    public string DefaultHome { get; init; } = "/home/%u";

    // --- offline cache ---
    /// <summary>offline_mode = enabled | disabled (auth_cache_enabled = true | false means the same).</summary>
    public bool OfflineEnabled { get; init; } = true;
    public string OfflineCacheDir { get; init; } = "/var/cache/open-bastion/credentials";
    public TimeSpan OfflineCacheTtl { get; init; } = TimeSpan.FromSeconds(86400);
    public TimeSpan OfflineCacheMaxTtl { get; init; } = TimeSpan.FromSeconds(604800);
    public TimeSpan OfflineCacheCleanupInterval { get; init; } = TimeSpan.FromSeconds(3600);
    public int OfflineMaxAttempts { get; init; } = 5;
    public TimeSpan OfflineLockoutInitial { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan OfflineLockoutMax { get; init; } = TimeSpan.FromSeconds(3600);
    public double OfflineLockoutMultiplier { get; init; } = 2.0;
    public string OfflineCacheKeyFile { get; init; } = "/etc/open-bastion/cache.key";
    public string MachineIdFile { get; init; } = "/etc/machine-id";
    /// <summary>Parameters of new verifiers (argon2_memory_kib, argon2_iterations, argon2_parallelism).</summary>
    public Argon2Parameters Argon2 { get; init; } = Argon2Parameters.Default;

    // --- bridge (daemon) ---
    public string SocketPath { get; init; } = "/run/open-bastion/obactors.sock";
    /// <summary>Peer uids allowed to send authentication requests (root always is).</summary>
    public IReadOnlyList<uint> SocketAllowedUids { get; init; } = [0];

    /// <summary>Where each value came from, key → "default" | file path | environment variable.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; init; } = new Dictionary<string, string>();

    /// <summary>The configuration file the values were read from; null when the default file was absent.</summary>
    public string? ConfigFile { get; init; }

    public static EngineSettings Defaults { get; } = new();

    // client_secret never appears in ToString.
    private bool PrintMembers(StringBuilder b)
    {
        b.Append($"PortalUrl = {PortalUrl}, ClientId = {ClientId}, ClientSecret = {(ClientSecret is null ? "(none)" : "***")}, ");
        b.Append($"OfflineEnabled = {OfflineEnabled}, OfflineCacheDir = {OfflineCacheDir}, Ttl = {OfflineCacheTtl}, MaxTtl = {OfflineCacheMaxTtl}");
        return true;
    }
}
