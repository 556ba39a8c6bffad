using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>Every rule of openbastion.conf: the exact one-line message naming key, value and what is allowed.</summary>
public sealed class SettingsValidationTests : ConfigFileFixture
{
    [Theory]
    // portal
    [InlineData("portal_url", "auth.example.com", "portal_url = auth.example.com: must be an absolute http or https URL")]
    [InlineData("portal_url", "ftp://auth.example.com", "portal_url = ftp://auth.example.com: must be an absolute http or https URL")]
    [InlineData("portal_url", "/relative", "portal_url = /relative: must be an absolute http or https URL")]
    [InlineData("offline_timeout", "0", "offline_timeout = 0: must be an integer between 1 and 120 seconds")]
    [InlineData("offline_timeout", "121", "offline_timeout = 121: must be an integer between 1 and 120 seconds")]
    [InlineData("offline_timeout", "5s", "offline_timeout = 5s: must be an integer between 1 and 120 seconds")]
    // mode
    [InlineData("offline_mode", "yes", "offline_mode = yes: must be enabled or disabled")]
    [InlineData("auth_cache_enabled", "1", "auth_cache_enabled = 1: must be true or false")]
    // durations
    [InlineData("offline_cache_ttl", "60", "offline_cache_ttl = 60: must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_ttl", "2592001", "offline_cache_ttl = 2592001: must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_ttl", "-3600", "offline_cache_ttl = -3600: must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_ttl", "1h", "offline_cache_ttl = 1h: must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_ttl", "", "offline_cache_ttl = : must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_ttl", "3600 # one hour", "offline_cache_ttl = 3600 # one hour: must be an integer between 3600 and 2592000 seconds")]
    [InlineData("offline_cache_max_ttl", "31536001", "offline_cache_max_ttl = 31536001: must be an integer between 3600 and 31536000 seconds")]
    [InlineData("offline_cache_cleanup_interval", "59", "offline_cache_cleanup_interval = 59: must be an integer between 60 and 86400 seconds")]
    [InlineData("offline_cache_cleanup_interval", "86401", "offline_cache_cleanup_interval = 86401: must be an integer between 60 and 86400 seconds")]
    // lockout
    [InlineData("offline_max_attempts", "0", "offline_max_attempts = 0: must be an integer between 1 and 100")]
    [InlineData("offline_max_attempts", "101", "offline_max_attempts = 101: must be an integer between 1 and 100")]
    [InlineData("offline_lockout_initial", "0", "offline_lockout_initial = 0: must be an integer between 1 and 86400 seconds")]
    [InlineData("offline_lockout_initial", "86401", "offline_lockout_initial = 86401: must be an integer between 1 and 86400 seconds")]
    [InlineData("offline_lockout_max", "604801", "offline_lockout_max = 604801: must be an integer between 1 and 604800 seconds")]
    [InlineData("offline_lockout_multiplier", "0.5", "offline_lockout_multiplier = 0.5: must be a number between 1.0 and 10.0")]
    [InlineData("offline_lockout_multiplier", "10.5", "offline_lockout_multiplier = 10.5: must be a number between 1.0 and 10.0")]
    [InlineData("offline_lockout_multiplier", "2,5", "offline_lockout_multiplier = 2,5: must be a number between 1.0 and 10.0")]
    [InlineData("offline_lockout_multiplier", "NaN", "offline_lockout_multiplier = NaN: must be a number between 1.0 and 10.0")]
    // paths
    [InlineData("offline_cache_dir", "var/cache", "offline_cache_dir = var/cache: must be an absolute path")]
    [InlineData("offline_cache_key_file", "cache.key", "offline_cache_key_file = cache.key: must be an absolute path")]
    [InlineData("machine_id_file", "", "machine_id_file = : must be an absolute path")]
    [InlineData("client_secret_file", "secret.txt", "client_secret_file = secret.txt: must be an absolute path")]
    [InlineData("default_shell", "bash", "default_shell = bash: must be an absolute path")]
    [InlineData("default_home", "home/%u", "default_home = home/%u: must be an absolute path")]
    [InlineData("socket_path", "ob.sock", "socket_path = ob.sock: must be an absolute path")]
    // socket peers
    [InlineData("socket_allowed_uids", "root", "socket_allowed_uids = root: must be a comma-separated list of numeric uids (root, 0, is always allowed)")]
    [InlineData("socket_allowed_uids", "1000,,1001", "socket_allowed_uids = 1000,,1001: must be a comma-separated list of numeric uids (root, 0, is always allowed)")]
    [InlineData("socket_allowed_uids", "4294967295", "socket_allowed_uids = 4294967295: must be a comma-separated list of numeric uids (root, 0, is always allowed)")]
    // argon2
    [InlineData("argon2_memory_kib", "8191", "argon2_memory_kib = 8191: must be an integer between 8192 and 4194304 KiB")]
    [InlineData("argon2_memory_kib", "4194305", "argon2_memory_kib = 4194305: must be an integer between 8192 and 4194304 KiB")]
    [InlineData("argon2_iterations", "0", "argon2_iterations = 0: must be an integer between 1 and 20")]
    [InlineData("argon2_iterations", "21", "argon2_iterations = 21: must be an integer between 1 and 20")]
    [InlineData("argon2_parallelism", "0", "argon2_parallelism = 0: must be an integer between 1 and 16")]
    [InlineData("argon2_parallelism", "17", "argon2_parallelism = 17: must be an integer between 1 and 16")]
    public void A_bad_value_is_one_line_naming_key_value_and_what_is_allowed(string key, string value, string message)
    {
        var e = LoadFails($"{key} = {value}\n");
        Assert.Equal([message], e.Errors);
        Assert.Equal(message, e.Message);
        Assert.DoesNotContain('\n', message);
    }

    [Theory]
    [InlineData("offline_cache_ttl = 700000", "offline_cache_ttl = 700000 is greater than offline_cache_max_ttl = 604800")]
    [InlineData("offline_cache_max_ttl = 3600", "offline_cache_ttl = 86400 is greater than offline_cache_max_ttl = 3600")]
    [InlineData("offline_lockout_initial = 7200", "offline_lockout_initial = 7200 is greater than offline_lockout_max = 3600")]
    [InlineData("offline_lockout_max = 10", "offline_lockout_initial = 30 is greater than offline_lockout_max = 10")]
    [InlineData("offline_mode = enabled\nauth_cache_enabled = false",
        "offline_mode = enabled disagrees with auth_cache_enabled = false: set only one of them")]
    [InlineData("client_secret = s\nclient_secret_file = /etc/x/secret",
        "client_secret and client_secret_file are both set: use only one of them")]
    public void Rules_between_keys(string text, string message) =>
        Assert.Equal([message], LoadFails(text).Errors);

    [Theory]
    [InlineData("offline_cache_ttl = 3600")]
    [InlineData("offline_cache_ttl = 2592000\noffline_cache_max_ttl = 2592000")]
    [InlineData("offline_cache_max_ttl = 86400")]
    [InlineData("offline_timeout = 1")]
    [InlineData("offline_cache_cleanup_interval = 86400")]
    [InlineData("offline_max_attempts = 1")]
    [InlineData("offline_lockout_initial = 1\noffline_lockout_max = 1")]
    [InlineData("offline_lockout_multiplier = 1")]
    [InlineData("offline_lockout_multiplier = 10.0")]
    [InlineData("argon2_memory_kib = 4194304\nargon2_iterations = 1\nargon2_parallelism = 1")]
    public void Values_at_the_bounds_are_accepted(string text) => LoadText(text);

    [Fact]
    public void Every_error_is_reported_at_once()
    {
        var e = LoadFails("""
            offline_cache_ttl = 60
            offline_max_attempts = many
            portal_url = nowhere
            mystery = 1
            """);

        Assert.Equal(4, e.Errors.Count);
        Assert.Contains("offline_cache_ttl = 60: must be an integer between 3600 and 2592000 seconds", e.Errors);
        Assert.Contains("offline_max_attempts = many: must be an integer between 1 and 100", e.Errors);
        Assert.Contains("portal_url = nowhere: must be an absolute http or https URL", e.Errors);
        Assert.Equal(e.Errors.Count, e.Message.Split('\n').Length);
    }

    [Fact]
    public void An_unknown_key_is_refused_without_echoing_its_value()
    {
        var path = WriteConfig("client_secrit = hunter2-typo\n");
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));
        Assert.Equal([$"unknown key 'client_secrit' in {path}"], e.Errors);
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Equal(path, e.ConfigFile);
    }

    [Fact]
    public void A_line_that_is_not_key_equals_value_is_refused_by_number_without_echoing_it()
    {
        var path = WriteConfig("portal_url = https://a.example\nclient_secret hunter2\n[broken\n");
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));
        Assert.Equal(
            [$"line 2 of {path}: expected 'key = value'", $"line 3 of {path}: malformed section header (expected '[name]')"],
            e.Errors);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Fact]
    public void A_key_given_twice_is_refused_even_in_two_sections()
    {
        var path = WriteConfig("offline_cache_ttl = 7200\n[other]\nOFFLINE_CACHE_TTL = 9000\n");
        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));
        Assert.Equal([$"key 'offline_cache_ttl' is set twice in {path} (lines 1 and 3)"], e.Errors);
    }
}
