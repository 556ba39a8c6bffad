using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Tests.Configuration;

public sealed class SettingsLoaderTests : ConfigFileFixture
{
    [Fact]
    public void No_file_at_the_default_path_gives_every_default()
    {
        var s = SettingsLoader.Load(null, NoEnvironment, MissingDefault);

        Assert.Null(s.ConfigFile);
        Assert.Null(s.PortalUrl);
        Assert.Null(s.ClientSecret);
        Assert.True(s.OfflineEnabled);
        Assert.Equal("/var/cache/open-bastion/credentials", s.OfflineCacheDir);
        Assert.Equal(TimeSpan.FromSeconds(86400), s.OfflineCacheTtl);
        Assert.Equal(TimeSpan.FromSeconds(604800), s.OfflineCacheMaxTtl);
        Assert.Equal(TimeSpan.FromSeconds(5), s.OfflineTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3600), s.OfflineCacheCleanupInterval);
        Assert.Equal(5, s.OfflineMaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), s.OfflineLockoutInitial);
        Assert.Equal(TimeSpan.FromSeconds(3600), s.OfflineLockoutMax);
        Assert.Equal(2.0, s.OfflineLockoutMultiplier);
        Assert.Equal("/etc/open-bastion/cache.key", s.OfflineCacheKeyFile);
        Assert.Equal("/etc/machine-id", s.MachineIdFile);
        Assert.Equal(Argon2Parameters.Default, s.Argon2);
        Assert.Equal([0u], s.SocketAllowedUids);
        Assert.Equal(ConfigKeys.All.Count, s.Sources.Count);
        Assert.All(ConfigKeys.All, k => Assert.Equal("default", s.Sources[k]));
    }

    [Fact]
    public void A_missing_file_named_explicitly_is_an_error()
    {
        var path = Dir.Combine("nope.conf");
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));
        Assert.Equal([$"configuration file {path} not found"], e.Errors);
    }

    [Fact]
    public void A_missing_file_named_by_OB_CONFIG_FILE_is_an_error()
    {
        var path = Dir.Combine("nope.conf");
        var env = new Dictionary<string, string?> { ["OB_CONFIG_FILE"] = path };
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(null, env, MissingDefault));
        Assert.Equal([$"configuration file {path} not found"], e.Errors);
    }

    [Fact]
    public void OB_CONFIG_FILE_names_the_file_and_an_explicit_argument_wins_over_it()
    {
        var fromEnv = WriteConfig("offline_max_attempts = 7\n", "env.conf");
        var explicitFile = WriteConfig("offline_max_attempts = 9\n", "explicit.conf");
        var env = new Dictionary<string, string?> { ["OB_CONFIG_FILE"] = fromEnv };

        var s = SettingsLoader.Load(null, env, MissingDefault);
        Assert.Equal(7, s.OfflineMaxAttempts);
        Assert.Equal(fromEnv, s.ConfigFile);
        Assert.Equal(fromEnv, s.Sources["offline_max_attempts"]);
        Assert.Equal("default", s.Sources["offline_cache_ttl"]);

        Assert.Equal(9, SettingsLoader.Load(explicitFile, env, MissingDefault).OfflineMaxAttempts);
    }

    [Fact]
    public void The_default_path_is_read_when_present()
    {
        var path = WriteConfig("offline_timeout = 12\n", "default.conf");
        var s = SettingsLoader.Load(null, NoEnvironment, path);
        Assert.Equal(TimeSpan.FromSeconds(12), s.OfflineTimeout);
        Assert.Equal(path, s.ConfigFile);
    }

    [Fact]
    public void OB_CACHE_DIR_overrides_offline_cache_dir()
    {
        var env = new Dictionary<string, string?> { ["OB_CACHE_DIR"] = "/srv/obcache" };
        var s = LoadText("offline_cache_dir = /var/tmp/other\n", env);
        Assert.Equal("/srv/obcache", s.OfflineCacheDir);
        Assert.Equal("OB_CACHE_DIR", s.Sources["offline_cache_dir"]);
        Assert.Contains("offline_cache_dir = /srv/obcache  (OB_CACHE_DIR)", SettingsLoader.Describe(s));
    }

    [Fact]
    public void OB_CACHE_DIR_must_be_absolute()
    {
        var env = new Dictionary<string, string?> { ["OB_CACHE_DIR"] = "relative/dir" };
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(null, env, MissingDefault));
        Assert.Equal(["OB_CACHE_DIR = relative/dir: must be an absolute path"], e.Errors);
    }

    [Fact]
    public void Comments_blank_lines_sections_and_quotes_are_understood()
    {
        var s = LoadText("""
            # Open Bastion configuration
            ; a semicolon comment
               # an indented comment

            [global]
            portal_url = https://auth.example.com/
            client_id=bastion
            offline_cache_dir = "/var/cache/ob test"
            # offline_cache_ttl = 60 (commented out: would be invalid)
            offline_cache_ttl = 7200
            Offline_Max_Attempts = 3
            """);

        Assert.Equal("https://auth.example.com/", s.PortalUrl);
        Assert.Equal("bastion", s.ClientId);
        Assert.Equal("/var/cache/ob test", s.OfflineCacheDir);
        Assert.Equal(TimeSpan.FromSeconds(7200), s.OfflineCacheTtl);
        Assert.Equal(3, s.OfflineMaxAttempts);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var secretFile = Dir.Write("secret", "from-file\n");
        var s = LoadText($"""
            portal_url = http://127.0.0.1:8080
            client_id = pam-access
            client_secret_file = {secretFile}
            offline_mode = disabled
            auth_cache_enabled = false
            offline_cache_dir = /var/cache/x
            offline_cache_ttl = 3600
            offline_cache_max_ttl = 31536000
            offline_timeout = 120
            offline_cache_cleanup_interval = 60
            offline_max_attempts = 100
            offline_lockout_initial = 86400
            offline_lockout_max = 604800
            offline_lockout_multiplier = 1.5
            offline_cache_key_file = /etc/x/cache.key
            machine_id_file = /etc/x/machine-id
            default_shell = /bin/zsh
            default_home = /srv/home/%u
            socket_path = /run/x/ob.sock
            socket_allowed_uids = 1000, 1001,1000
            argon2_memory_kib = 8192
            argon2_iterations = 20
            argon2_parallelism = 16
            """);

        Assert.Equal("http://127.0.0.1:8080", s.PortalUrl);
        Assert.Equal("pam-access", s.ClientId);
        Assert.Equal("from-file", s.ClientSecret);
        Assert.Equal(secretFile, s.ClientSecretFile);
        Assert.False(s.OfflineEnabled);
        Assert.Equal("/var/cache/x", s.OfflineCacheDir);
        Assert.Equal(TimeSpan.FromSeconds(3600), s.OfflineCacheTtl);
        Assert.Equal(TimeSpan.FromSeconds(31536000), s.OfflineCacheMaxTtl);
        Assert.Equal(TimeSpan.FromSeconds(120), s.OfflineTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), s.OfflineCacheCleanupInterval);
        Assert.Equal(100, s.OfflineMaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(86400), s.OfflineLockoutInitial);
        Assert.Equal(TimeSpan.FromSeconds(604800), s.OfflineLockoutMax);
        Assert.Equal(1.5, s.OfflineLockoutMultiplier);
        Assert.Equal("/etc/x/cache.key", s.OfflineCacheKeyFile);
        Assert.Equal("/etc/x/machine-id", s.MachineIdFile);
        Assert.Equal("/bin/zsh", s.DefaultShell);
        Assert.Equal("/srv/home/%u", s.DefaultHome);
        Assert.Equal("/run/x/ob.sock", s.SocketPath);
        Assert.Equal([0u, 1000u, 1001u], s.SocketAllowedUids);
        Assert.Equal(new Argon2Parameters(8192, 20, 16), s.Argon2);
        Assert.Equal(secretFile, s.Sources["client_secret"]);
        Assert.All(ConfigKeys.All.Where(k => k != "client_secret"), k => Assert.Equal(s.ConfigFile, s.Sources[k]));
    }

    [Theory]
    [InlineData("offline_mode = enabled", true)]
    [InlineData("offline_mode = disabled", false)]
    [InlineData("auth_cache_enabled = true", true)]
    [InlineData("auth_cache_enabled = false", false)]
    [InlineData("offline_mode = Disabled\nauth_cache_enabled = FALSE", false)]
    [InlineData("offline_mode = enabled\nauth_cache_enabled = true", true)]
    public void Offline_mode_and_auth_cache_enabled_mean_the_same(string text, bool expected)
    {
        var s = LoadText(text);
        Assert.Equal(expected, s.OfflineEnabled);
        Assert.Equal(s.ConfigFile, s.Sources["offline_mode"]);
        Assert.Equal(s.ConfigFile, s.Sources["auth_cache_enabled"]);
    }

    [Fact]
    public void Root_is_always_an_allowed_socket_peer()
    {
        Assert.Equal([0u], LoadText("socket_allowed_uids =").SocketAllowedUids);
        Assert.Equal([0u, 42u], LoadText("socket_allowed_uids = 0,42").SocketAllowedUids);
    }

    [Fact]
    public void Empty_portal_values_mean_unset()
    {
        var s = LoadText("portal_url =\nclient_id =\nclient_secret =");
        Assert.Null(s.PortalUrl);
        Assert.Null(s.ClientId);
        Assert.Null(s.ClientSecret);
    }
}
