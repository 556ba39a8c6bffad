namespace OpenBastion.Engine.Configuration;

/// <summary>The keys of <c>openbastion.conf</c>, as written in the file (snake_case).</summary>
public static class ConfigKeys
{
    public const string PortalUrl = "portal_url";
    public const string ClientId = "client_id";
    public const string ClientSecret = "client_secret";
    public const string ClientSecretFile = "client_secret_file";
    public const string OfflineTimeout = "offline_timeout";
    public const string DefaultShell = "default_shell";
    public const string DefaultHome = "default_home";
    public const string OfflineMode = "offline_mode";
    public const string AuthCacheEnabled = "auth_cache_enabled";
    public const string OfflineCacheDir = "offline_cache_dir";
    public const string OfflineCacheTtl = "offline_cache_ttl";
    public const string OfflineCacheMaxTtl = "offline_cache_max_ttl";
    public const string OfflineCacheCleanupInterval = "offline_cache_cleanup_interval";
    public const string OfflineMaxAttempts = "offline_max_attempts";
    public const string OfflineLockoutInitial = "offline_lockout_initial";
    public const string OfflineLockoutMax = "offline_lockout_max";
    public const string OfflineLockoutMultiplier = "offline_lockout_multiplier";
    public const string OfflineCacheKeyFile = "offline_cache_key_file";
    public const string MachineIdFile = "machine_id_file";
    public const string Argon2MemoryKiB = "argon2_memory_kib";
    public const string Argon2Iterations = "argon2_iterations";
    public const string Argon2Parallelism = "argon2_parallelism";
    public const string SocketPath = "socket_path";
    public const string SocketAllowedUids = "socket_allowed_uids";

    /// <summary>Every key, in the order of the example file and of <c>--print-config</c>.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        PortalUrl, ClientId, ClientSecret, ClientSecretFile, OfflineTimeout, DefaultShell, DefaultHome,
        OfflineMode, AuthCacheEnabled, OfflineCacheDir, OfflineCacheTtl, OfflineCacheMaxTtl,
        OfflineCacheCleanupInterval, OfflineMaxAttempts, OfflineLockoutInitial, OfflineLockoutMax,
        OfflineLockoutMultiplier, OfflineCacheKeyFile, MachineIdFile,
        Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism, SocketPath, SocketAllowedUids,
    ];

    /// <summary>Environment variable naming the configuration file.</summary>
    public const string ConfigFileVariable = "OB_CONFIG_FILE";

    /// <summary>Environment variable overriding <c>offline_cache_dir</c>.</summary>
    public const string CacheDirVariable = "OB_CACHE_DIR";

    /// <summary>The source of a value nobody set.</summary>
    public const string DefaultSource = "default";
}
