using System.Globalization;
using System.Text;
using OpenBastion.Engine.Crypto;

namespace OpenBastion.Engine.Configuration;

/// <summary>
/// Turns the file's <c>key = value</c> pairs into <see cref="EngineSettings"/>, collecting every error.
/// Each message is one line naming the key, the value and what is allowed; the client secret's value
/// never appears.
/// </summary>
internal sealed class SettingsParser(string file, List<string> errors)
{
    private const int MaxSecretFileBytes = 64 * 1024;

    private EngineSettings _s = EngineSettings.Defaults;
    private readonly Dictionary<string, string> _sources = ConfigKeys.All.ToDictionary(k => k, _ => ConfigKeys.DefaultSource);
    private bool? _offlineMode;
    private bool? _authCacheEnabled;
    private int _memoryKiB = Argon2Parameters.Default.MemoryKiB;
    private int _iterations = Argon2Parameters.Default.Iterations;
    private int _parallelism = Argon2Parameters.Default.Parallelism;
    private string? _secretFile;

    public void Apply(IReadOnlyList<KeyValuePair<string, string>> values)
    {
        foreach (var (key, value) in values)
        {
            if (!ConfigKeys.All.Contains(key))
            {
                errors.Add($"unknown key '{key}' in {file}");
                continue;
            }

            _sources[key] = file;
            ApplyOne(key, value);
        }
    }

    public void OverrideCacheDir(string value, string source)
    {
        if (AbsolutePath(source, value) is { } dir)
        {
            _s = _s with { OfflineCacheDir = dir };
            _sources[ConfigKeys.OfflineCacheDir] = source;
        }
    }

    /// <summary>Cross-key rules, the client secret file, and the final record.</summary>
    public EngineSettings Finish(string? configFile)
    {
        ReconcileOfflineMode();
        CheckOrder(ConfigKeys.OfflineCacheTtl, _s.OfflineCacheTtl, ConfigKeys.OfflineCacheMaxTtl, _s.OfflineCacheMaxTtl);
        CheckOrder(ConfigKeys.OfflineLockoutInitial, _s.OfflineLockoutInitial, ConfigKeys.OfflineLockoutMax, _s.OfflineLockoutMax);
        ReadSecretFile();

        return _s with
        {
            Argon2 = new Argon2Parameters(_memoryKiB, _iterations, _parallelism),
            Sources = _sources,
            ConfigFile = configFile,
        };
    }

    private void ApplyOne(string key, string value)
    {
        switch (key)
        {
            case ConfigKeys.PortalUrl:
                if (value.Length == 0) _s = _s with { PortalUrl = null };
                else if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0)
                    _s = _s with { PortalUrl = value };
                else errors.Add($"{key} = {value}: must be an absolute http or https URL");
                break;
            case ConfigKeys.ClientId:
                _s = _s with { ClientId = value.Length == 0 ? null : value };
                break;
            case ConfigKeys.ClientSecret:
                _s = _s with { ClientSecret = value.Length == 0 ? null : value };
                break;
            case ConfigKeys.ClientSecretFile:
                if (value.Length == 0) break;
                if (AbsolutePath(key, value) is { } secretFile)
                {
                    _secretFile = secretFile;
                    _s = _s with { ClientSecretFile = secretFile };
                }
                break;
            case ConfigKeys.OfflineTimeout:
                Seconds(key, value, 1, 120, t => _s = _s with { OfflineTimeout = t });
                break;
            case ConfigKeys.DefaultShell:
                if (AbsolutePath(key, value) is { } shell) _s = _s with { DefaultShell = shell };
                break;
            case ConfigKeys.DefaultHome:
                if (AbsolutePath(key, value) is { } home) _s = _s with { DefaultHome = home };
                break;
            case ConfigKeys.OfflineMode:
                OnOff(key, value, "enabled", "disabled", on => _offlineMode = on);
                break;
            case ConfigKeys.AuthCacheEnabled:
                OnOff(key, value, "true", "false", on => _authCacheEnabled = on);
                break;
            case ConfigKeys.OfflineCacheDir:
                if (AbsolutePath(key, value) is { } dir) _s = _s with { OfflineCacheDir = dir };
                break;
            case ConfigKeys.OfflineCacheTtl:
                Seconds(key, value, 3600, 2592000, t => _s = _s with { OfflineCacheTtl = t });
                break;
            case ConfigKeys.OfflineCacheMaxTtl:
                Seconds(key, value, 3600, 31536000, t => _s = _s with { OfflineCacheMaxTtl = t });
                break;
            case ConfigKeys.OfflineCacheCleanupInterval:
                Seconds(key, value, 60, 86400, t => _s = _s with { OfflineCacheCleanupInterval = t });
                break;
            case ConfigKeys.OfflineMaxAttempts:
                Integer(key, value, 1, 100, n => _s = _s with { OfflineMaxAttempts = (int)n });
                break;
            case ConfigKeys.OfflineLockoutInitial:
                Seconds(key, value, 1, 86400, t => _s = _s with { OfflineLockoutInitial = t });
                break;
            case ConfigKeys.OfflineLockoutMax:
                Seconds(key, value, 1, 604800, t => _s = _s with { OfflineLockoutMax = t });
                break;
            case ConfigKeys.OfflineLockoutMultiplier:
                if (double.TryParse(value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var m) && m is >= 1.0 and <= 10.0)
                    _s = _s with { OfflineLockoutMultiplier = m };
                else errors.Add($"{key} = {value}: must be a number between 1.0 and 10.0");
                break;
            case ConfigKeys.OfflineCacheKeyFile:
                if (AbsolutePath(key, value) is { } keyFile) _s = _s with { OfflineCacheKeyFile = keyFile };
                break;
            case ConfigKeys.MachineIdFile:
                if (AbsolutePath(key, value) is { } machineId) _s = _s with { MachineIdFile = machineId };
                break;
            case ConfigKeys.Argon2MemoryKiB:
                Integer(key, value, 8192, 4194304, n => _memoryKiB = (int)n, " KiB");
                break;
            case ConfigKeys.Argon2Iterations:
                Integer(key, value, 1, 20, n => _iterations = (int)n);
                break;
            case ConfigKeys.Argon2Parallelism:
                Integer(key, value, 1, 16, n => _parallelism = (int)n);
                break;
            case ConfigKeys.SocketPath:
                if (AbsolutePath(key, value) is { } socket) _s = _s with { SocketPath = socket };
                break;
            case ConfigKeys.SocketAllowedUids:
                Uids(key, value);
                break;
        }
    }

    private void ReconcileOfflineMode()
    {
        if (_offlineMode is { } mode && _authCacheEnabled is { } cache && mode != cache)
        {
            errors.Add($"{ConfigKeys.OfflineMode} = {(mode ? "enabled" : "disabled")} disagrees with " +
                       $"{ConfigKeys.AuthCacheEnabled} = {(cache ? "true" : "false")}: set only one of them");
            return;
        }

        if ((_offlineMode ?? _authCacheEnabled) is not { } enabled) return;
        _s = _s with { OfflineEnabled = enabled };
        // Both keys describe the one setting: whichever the file gave is the source of both.
        var source = _offlineMode is null ? _sources[ConfigKeys.AuthCacheEnabled] : _sources[ConfigKeys.OfflineMode];
        _sources[ConfigKeys.OfflineMode] = source;
        _sources[ConfigKeys.AuthCacheEnabled] = source;
    }

    private void CheckOrder(string lowKey, TimeSpan low, string highKey, TimeSpan high)
    {
        if (low > high)
            errors.Add($"{lowKey} = {(long)low.TotalSeconds} is greater than {highKey} = {(long)high.TotalSeconds}");
    }

    private void ReadSecretFile()
    {
        if (_secretFile is null) return;
        if (_s.ClientSecret is not null)
        {
            errors.Add($"{ConfigKeys.ClientSecret} and {ConfigKeys.ClientSecretFile} are both set: use only one of them");
            return;
        }

        var prefix = $"{ConfigKeys.ClientSecretFile} = {_secretFile}";
        byte[]? bytes;
        try
        {
            bytes = ProtectedFile.ReadIfExists(_secretFile, MaxSecretFileBytes + 1);
        }
        catch (InsecureFileException e)
        {
            errors.Add($"{prefix}: {e.Message}");
            return;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{prefix}: cannot be read: {e.Message}");
            return;
        }

        if (bytes is null)
        {
            errors.Add($"{prefix}: no such file");
            return;
        }

        try
        {
            if (bytes.Length > MaxSecretFileBytes)
            {
                errors.Add($"{prefix}: is larger than {MaxSecretFileBytes} bytes");
                return;
            }

            var secret = new UTF8Encoding(false, true).GetString(bytes).TrimEnd('\n', '\r');
            if (secret.Length == 0)
            {
                errors.Add($"{prefix}: is empty");
                return;
            }

            _s = _s with { ClientSecret = secret };
            _sources[ConfigKeys.ClientSecret] = _secretFile;
        }
        catch (DecoderFallbackException)
        {
            errors.Add($"{prefix}: is not valid UTF-8 text");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private string? AbsolutePath(string key, string value)
    {
        if (value.StartsWith('/') && !value.Contains('\0')) return value;
        errors.Add($"{key} = {value}: must be an absolute path");
        return null;
    }

    /// <summary>A two-word switch: <paramref name="on"/> or <paramref name="off"/>, in any case.</summary>
    private void OnOff(string key, string value, string on, string off, Action<bool> set)
    {
        if (value.Equals(on, StringComparison.OrdinalIgnoreCase)) set(true);
        else if (value.Equals(off, StringComparison.OrdinalIgnoreCase)) set(false);
        else errors.Add($"{key} = {value}: must be {on} or {off}");
    }

    private void Seconds(string key, string value, long min, long max, Action<TimeSpan> set) =>
        Integer(key, value, min, max, n => set(TimeSpan.FromSeconds(n)), " seconds");

    private void Integer(string key, string value, long min, long max, Action<long> set, string unit = "")
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
            set(n);
        else
            errors.Add($"{key} = {value}: must be an integer between {min} and {max}{unit}");
    }

    private void Uids(string key, string value)
    {
        var uids = new List<uint> { 0 };
        foreach (var part in value.Split(',', StringSplitOptions.TrimEntries))
        {
            if (part.Length == 0 && value.Trim().Length == 0) break;
            if (!uint.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var uid) || uid == uint.MaxValue)
            {
                errors.Add($"{key} = {value}: must be a comma-separated list of numeric uids (root, 0, is always allowed)");
                return;
            }

            if (!uids.Contains(uid)) uids.Add(uid);
        }

        _s = _s with { SocketAllowedUids = uids };
    }
}
