using System.Security.Cryptography;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Host.Tests;

/// <summary>A throw-away daemon layout: config file, key file, machine id, cache directory, socket path.</summary>
internal sealed class DaemonDirectory : IDisposable
{
    public DaemonDirectory(string? extraConfig = null)
    {
        Root = Directory.CreateTempSubdirectory("obactors-daemon-").FullName;
        var key = Path.Combine(Root, "cache.key");
        File.WriteAllBytes(key, RandomNumberGenerator.GetBytes(32));
        File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.WriteAllText(Path.Combine(Root, "machine-id"), "0123456789abcdef0123456789abcdef\n");
        ConfigFile = Path.Combine(Root, "openbastion.conf");
        File.WriteAllText(ConfigFile,
            $"""
            # test daemon
            portal_url = http://127.0.0.1:9/
            client_id = bastion
            client_secret = bastionsecret
            offline_cache_dir = {CacheDir}
            offline_cache_key_file = {key}
            machine_id_file = {Path.Combine(Root, "machine-id")}
            socket_path = {SocketPath}
            argon2_memory_kib = 8192
            argon2_iterations = 1
            argon2_parallelism = 1
            {extraConfig}
            """);
        // It holds an inline client_secret: 0600, or the daemon refuses it.
        File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public string Root { get; }

    public string ConfigFile { get; }

    public string CacheDir => Path.Combine(Root, "cache");

    public string SocketPath => Path.Combine(Root, "run", "obactors.sock");

    public EngineSettings LoadSettings() => SettingsLoader.Load(ConfigFile, new Dictionary<string, string?>());

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
