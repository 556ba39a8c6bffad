using Akka.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Admin;
using OpenBastion.Host.AdminTool;
using OpenBastion.Host.Bridge;
using ConfigurationException = OpenBastion.Engine.Configuration.ConfigurationException;
using OpenBastion.Host.Hosting;
using OpenBastion.Host.Logging;
using OpenBastion.Host.Native;

namespace OpenBastion.Host;

/// <summary>
/// <c>obactors</c>: the authentication daemon. Loads and validates the configuration, opens the
/// cache (holding its lock), starts the actor system and then the bridge socket; stops in reverse on
/// SIGTERM/SIGINT. Never forks: systemd (Type=notify) or a terminal runs it.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args)
    {
        // Before any secret is read (the configuration's client secret, the cache key, a password).
        ProcessHardening.DisableCoreDumps();
        // "obactors admin ..." is ob-cache-admin (installed as a wrapper script calling it).
        if (args.Length > 0 && args[0] == "admin") return AdminCli.RunAsync(args[1..]);
        return RunAsync(args, Console.Out, Console.Error);
    }

    internal static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ProcessHardening.DisableCoreDumps(); // also when started in-process (tests); idempotent
        DaemonArguments arguments;
        try
        {
            arguments = DaemonArguments.Parse(args);
        }
        catch (StartupException ex)
        {
            await stderr.WriteLineAsync($"obactors: {ex.Message}");
            await stderr.WriteLineAsync("Try 'obactors --help'.");
            return ex.ExitCode;
        }
        if (arguments.Help)
        {
            await stdout.WriteLineAsync(DaemonArguments.Usage);
            return ExitCodes.Ok;
        }

        EngineSettings settings;
        Config hocon;
        try
        {
            settings = SettingsLoader.Load(arguments.ConfigFile);
            hocon = LoadHocon(arguments.HoconFile);
            _ = BridgeOptions.From(settings, hocon); // validates obactors.bridge before anything starts
        }
        catch (ConfigurationException ex)
        {
            foreach (var line in ex.Errors) await stderr.WriteLineAsync($"obactors: configuration error: {line}");
            return ExitCodes.Configuration;
        }

        if (arguments.PrintConfig)
        {
            foreach (var line in SettingsLoader.Describe(settings)) await stdout.WriteLineAsync(line);
            return ExitCodes.Ok;
        }

        DaemonRuntime? runtime = null;
        IHost? host = null;
        try
        {
            // A live ob-cache-admin holding the cache lock is waited for (bounded), so that systemd's
            // start (or restart) does not fail because an operator was listing the cache.
            runtime = DaemonRuntime.Open(settings, TimeProvider.System,
                lockWait: new CacheLockWait { Notice = line => stderr.WriteLine($"obactors: {line}") });
            host = BuildHost(arguments, runtime, hocon);
            var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("obactors");
            if (!runtime.UsedKeyFile)
                logger.LogWarning("no cache key file ({KeyFile}): the offline cache key derives from the machine id only", settings.OfflineCacheKeyFile);
            await host.StartAsync();
            logger.LogInformation("obactors started (portal {Portal}, offline cache {Mode}, cache {CacheDir})",
                settings.PortalUrl, settings.OfflineEnabled ? "enabled" : "disabled", settings.OfflineCacheDir);
            await host.WaitForShutdownAsync();
            logger.LogInformation("obactors stopped");
            return ExitCodes.Ok;
        }
        catch (StartupException ex)
        {
            await stderr.WriteLineAsync($"obactors: {ex.Message}");
            await StopQuietlyAsync(host);
            return ex.ExitCode;
        }
        catch (Exception ex)
        {
            // Messages of the engine's exceptions name files and keys, never secrets.
            await stderr.WriteLineAsync($"obactors: internal error: {ex.GetType().Name}: {ex.Message}");
            await StopQuietlyAsync(host);
            return ExitCodes.Internal;
        }
        finally
        {
            if (host is IAsyncDisposable disposable) await disposable.DisposeAsync();
            else host?.Dispose();
            runtime?.Dispose();
        }
    }

    /// <param name="configureLogging">Replaces the syslog/console choice (tests).</param>
    internal static IHost BuildHost(DaemonArguments arguments, DaemonRuntime runtime, Config hocon, Action<ILoggingBuilder>? configureLogging = null)
    {
        // No appsettings.json, no environment-driven host configuration: a daemon reads only its own files.
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(
            new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = "/", Args = [] });
        builder.Services.Configure<HostOptions>(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(20);
            o.ServicesStartConcurrently = false;
            o.ServicesStopConcurrently = false;
        });
        builder.Services.AddLogging(logging =>
        {
            if (configureLogging is null) logging.AddObActorsLogging(arguments);
            else configureLogging(logging);
        });
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);

        builder.Services
            .AddObActorsEngine(runtime)
            .AddObActorsAkka(hocon)
            .AddObActorsAdmin()
            .AddBridgeListener(settings => BridgeOptions.From(settings, hocon))
            .AddSystemdNotify();
        return builder.Build();
    }

    /// <summary>The embedded obactors.hocon, under the operator's --hocon file.</summary>
    private static Config LoadHocon(string? overrideFile)
    {
        if (overrideFile is null) return ObActorsConfig.Default;
        if (!File.Exists(overrideFile))
            throw new ConfigurationException($"--hocon: file '{overrideFile}' does not exist");
        try
        {
            return ObActorsConfig.Load(overrideFile);
        }
        catch (Exception ex) when (ex is not ConfigurationException and not OutOfMemoryException)
        {
            throw new ConfigurationException($"--hocon: '{overrideFile}' is not valid HOCON ({ex.Message.Split('\n')[0]})");
        }
    }

    private static async Task StopQuietlyAsync(IHost? host)
    {
        if (host is null) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
            // Already failing; the exit code says why.
        }
    }
}
