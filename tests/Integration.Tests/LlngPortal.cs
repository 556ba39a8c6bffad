using System.Diagnostics;
using System.Reflection;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Integration.Tests;

/// <summary>
/// A real LemonLDAP::NG portal run by <c>scripts/llng.sh</c> (SQLite user base, so passwords can
/// change while it runs) for the whole test collection. Missing packages fail the collection with a
/// clear message: these tests are never skipped silently.
/// </summary>
public sealed class LlngPortal : IAsyncLifetime
{
    public const int Port = 18090;
    public const string ClientId = "bastion";
    public const string ClientSecret = "bastionsecret";
    public const string Directory = "/tmp/obactors-llng-it";

    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromSeconds(60);
    private readonly string _script;

    public LlngPortal()
    {
        _script = Path.Combine(RepositoryRoot(), "scripts", "llng.sh");
    }

    public string Url => $"http://127.0.0.1:{Port}/";

    /// <summary>Engine settings pointing at this portal, offline_timeout 2 s.</summary>
    public EngineSettings Settings => new()
    {
        PortalUrl = Url,
        ClientId = ClientId,
        ClientSecret = ClientSecret,
        OfflineTimeout = TimeSpan.FromSeconds(2),
    };

    public async Task InitializeAsync()
    {
        if (FindOnPath("plackup") is null || !File.Exists("/usr/share/lemonldap-ng/portal/htdocs/index.psgi"))
        {
            throw new InvalidOperationException(
                "LemonLDAP::NG is not installed (plackup or the portal's index.psgi is missing). " +
                "The integration tests need the real portal: run `sudo scripts/deps.sh` (CI does).");
        }
        await RunAsync("stop");        // a portal left over by an aborted run
        await RunAsync("configure");
        await RunAsync("start");
    }

    public async Task DisposeAsync() => await RunAsync("stop");

    public Task StartAsync() => RunAsync("start");
    public Task StopAsync() => RunAsync("stop");
    public Task FreezeAsync() => RunAsync("freeze");
    public Task ThawAsync() => RunAsync("thaw");
    public Task SetPasswordAsync(string user, string password) => RunAsync("passwd", user, password);

    /// <summary>Runs <c>scripts/llng.sh</c> with this collection's environment; throws with its output on failure.</summary>
    public async Task RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(_script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["LLNG_DIR"] = Directory;
        start.Environment["LLNG_PORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["LLNG_AUTH"] = "sqlite";
        start.Environment["LLNG_CLIENT_ID"] = ClientId;
        start.Environment["LLNG_CLIENT_SECRET"] = ClientSecret;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start bash");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"scripts/llng.sh {args[0]} did not finish within {ScriptTimeout.TotalSeconds} s");
        }
        var output = await stdout + await stderr;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"scripts/llng.sh {args[0]} failed (exit {process.ExitCode}):\n{output}");
        }
    }

    private static string RepositoryRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable("OBACTORS_REPO");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var baked = typeof(LlngPortal).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        if (baked is not null && File.Exists(Path.Combine(baked, "scripts", "llng.sh"))) return baked;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "llng.sh"))) return dir.FullName;
        }
        throw new InvalidOperationException("cannot find scripts/llng.sh; set OBACTORS_REPO to the repository root");
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}

[CollectionDefinition(Name)]
public sealed class LlngPortalCollection : ICollectionFixture<LlngPortal>
{
    public const string Name = "LLNG portal";
}
