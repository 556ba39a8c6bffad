using System.Collections;
using System.Globalization;
using System.Text;

namespace OpenBastion.Engine.Configuration;

/// <summary>
/// Loads and validates <c>openbastion.conf</c> (DESIGN §3.8). The file is the explicit argument, else
/// <c>OB_CONFIG_FILE</c>, else <see cref="EngineSettings.DefaultConfigFile"/>; only the default file may be
/// absent (then every key has its default). <c>OB_CACHE_DIR</c> overrides <c>offline_cache_dir</c>.
/// Every error is collected and reported at once in a <see cref="ConfigurationException"/>.
/// </summary>
public static class SettingsLoader
{
    private const int MaxConfigFileBytes = 1024 * 1024;

    public static EngineSettings Load(string? configFile = null, IReadOnlyDictionary<string, string?>? environment = null) =>
        Load(configFile, environment, EngineSettings.DefaultConfigFile);

    /// <summary>As <see cref="Load(string?, IReadOnlyDictionary{string, string?}?)"/>, with another default path (tests).</summary>
    internal static EngineSettings Load(string? configFile, IReadOnlyDictionary<string, string?>? environment, string defaultConfigFile)
    {
        var env = environment ?? ProcessEnvironment();
        var (path, named) = !string.IsNullOrEmpty(configFile) ? (configFile, true)
            : env.TryGetValue(ConfigKeys.ConfigFileVariable, out var fromEnv) && !string.IsNullOrEmpty(fromEnv) ? (fromEnv, true)
            : (defaultConfigFile, false);

        var errors = new List<string>();
        var text = ReadConfigFile(path, named, errors, out var looseness);
        var parser = new SettingsParser(path, errors);
        if (text is not null) parser.Apply(IniFile.Parse(text, path, errors));

        if (env.TryGetValue(ConfigKeys.CacheDirVariable, out var cacheDir) && !string.IsNullOrEmpty(cacheDir))
            parser.OverrideCacheDir(cacheDir, ConfigKeys.CacheDirVariable);

        var settings = parser.Finish(text is null ? null : path);
        // A client secret written in the file itself is a secret file's content: refused, like a
        // loose key file or client_secret_file, when others can read (or replace) the file.
        if (settings.ClientSecret is not null && looseness is not null &&
            settings.Sources.TryGetValue(ConfigKeys.ClientSecret, out var secretSource) && secretSource == path)
            errors.Add($"{ConfigKeys.ClientSecret} is set in {path}, which {looseness} (or move the secret to a 0600 {ConfigKeys.ClientSecretFile})");
        if (errors.Count > 0) throw new ConfigurationException(errors, path);
        return settings;
    }

    /// <summary>
    /// Every key as <c>key = value  (source)</c>, secrets masked as <c>***</c>: the output of
    /// <c>obactors --print-config</c> and <c>ob-cache-admin config</c>.
    /// </summary>
    public static IReadOnlyList<string> Describe(EngineSettings s)
    {
        var lines = new List<string>(ConfigKeys.All.Count);
        foreach (var key in ConfigKeys.All)
        {
            var source = s.Sources.TryGetValue(key, out var src) ? src : ConfigKeys.DefaultSource;
            lines.Add($"{key} = {Value(s, key)}  ({source})");
        }

        return lines;
    }

    private static string Value(EngineSettings s, string key) => key switch
    {
        ConfigKeys.PortalUrl => s.PortalUrl ?? string.Empty,
        ConfigKeys.ClientId => s.ClientId ?? string.Empty,
        ConfigKeys.ClientSecret => s.ClientSecret is null ? string.Empty : "***",
        ConfigKeys.ClientSecretFile => s.ClientSecretFile ?? string.Empty,
        ConfigKeys.OfflineTimeout => Seconds(s.OfflineTimeout),
        ConfigKeys.DefaultShell => s.DefaultShell,
        ConfigKeys.DefaultHome => s.DefaultHome,
        ConfigKeys.OfflineMode => s.OfflineEnabled ? "enabled" : "disabled",
        ConfigKeys.AuthCacheEnabled => s.OfflineEnabled ? "true" : "false",
        ConfigKeys.OfflineCacheDir => s.OfflineCacheDir,
        ConfigKeys.OfflineCacheTtl => Seconds(s.OfflineCacheTtl),
        ConfigKeys.OfflineCacheMaxTtl => Seconds(s.OfflineCacheMaxTtl),
        ConfigKeys.OfflineCacheCleanupInterval => Seconds(s.OfflineCacheCleanupInterval),
        ConfigKeys.OfflineMaxAttempts => s.OfflineMaxAttempts.ToString(CultureInfo.InvariantCulture),
        ConfigKeys.OfflineLockoutInitial => Seconds(s.OfflineLockoutInitial),
        ConfigKeys.OfflineLockoutMax => Seconds(s.OfflineLockoutMax),
        ConfigKeys.OfflineLockoutMultiplier => s.OfflineLockoutMultiplier.ToString("0.0###", CultureInfo.InvariantCulture),
        ConfigKeys.OfflineCacheKeyFile => s.OfflineCacheKeyFile,
        ConfigKeys.MachineIdFile => s.MachineIdFile,
        ConfigKeys.Argon2MemoryKiB => s.Argon2.MemoryKiB.ToString(CultureInfo.InvariantCulture),
        ConfigKeys.Argon2Iterations => s.Argon2.Iterations.ToString(CultureInfo.InvariantCulture),
        ConfigKeys.Argon2Parallelism => s.Argon2.Parallelism.ToString(CultureInfo.InvariantCulture),
        ConfigKeys.SocketPath => s.SocketPath,
        ConfigKeys.SocketAllowedUids => string.Join(",", s.SocketAllowedUids),
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a configuration key"),
    };

    private static string Seconds(TimeSpan t) => ((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The file's text; null when the default file is absent (or on error, recorded in <paramref name="errors"/>).
    /// <paramref name="looseness"/>: why the file could not hold a secret (<see cref="ProtectedFile.Problem"/>,
    /// taken from the open descriptor), or null when it could.
    /// </summary>
    private static string? ReadConfigFile(string path, bool named, List<string> errors, out string? looseness)
    {
        looseness = null;
        if (Directory.Exists(path))
        {
            errors.Add($"configuration file {path} is a directory");
            return null;
        }

        if (!File.Exists(path))
        {
            if (named) errors.Add($"configuration file {path} not found");
            return null;
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            looseness = ProtectedFile.Problem(path, Native.FileStatus.Of(stream.SafeFileHandle));
            if (stream.Length > MaxConfigFileBytes)
            {
                errors.Add($"configuration file {path} is larger than {MaxConfigFileBytes} bytes");
                return null;
            }

            using var reader = new StreamReader(stream, new UTF8Encoding(false, true));
            return reader.ReadToEnd();
        }
        catch (DecoderFallbackException)
        {
            errors.Add($"configuration file {path} is not valid UTF-8 text");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"configuration file {path} cannot be read: {e.Message}");
        }

        return null;
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables())
            result[(string)e.Key] = e.Value as string;
        return result;
    }
}
