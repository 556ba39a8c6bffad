using System.Diagnostics;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Native;

namespace OpenBastion.Host.Tests;

/// <summary>The built obactors executable: its exit codes and what it prints when it refuses to start.</summary>
public sealed class DaemonProcessTests
{
    [Fact]
    public async Task A_bad_value_exits_78_with_one_line_naming_the_key()
    {
        using var dir = new DaemonDirectory("offline_max_attempts = lots");

        var (code, stdout, stderr) = await RunAsync("--config", dir.ConfigFile);

        Assert.Equal(ExitCodes.Configuration, code);
        var line = Assert.Single(Lines(stderr));
        Assert.StartsWith("obactors: configuration error: ", line);
        Assert.Contains("offline_max_attempts", line);
        Assert.Contains("lots", line);
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Every_bad_value_gets_its_own_line()
    {
        using var dir = new DaemonDirectory("offline_max_attempts = lots\noffline_timeout = -1");

        var (code, _, stderr) = await RunAsync("--config", dir.ConfigFile);

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Equal(2, Lines(stderr).Count(l => l.StartsWith("obactors: configuration error: ", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task OB_CONFIG_FILE_is_used_without_config()
    {
        using var dir = new DaemonDirectory("offline_lockout_initial = soon");

        var (code, _, stderr) = await RunAsync(new Dictionary<string, string> { ["OB_CONFIG_FILE"] = dir.ConfigFile });

        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Contains("offline_lockout_initial", stderr);
    }

    [Fact]
    public async Task A_bad_or_missing_hocon_override_exits_78()
    {
        using var dir = new DaemonDirectory();
        var hocon = Path.Combine(dir.Root, "obactors.hocon");
        await File.WriteAllTextAsync(hocon, "obactors.bridge.max-connections = 0");

        var (code, _, stderr) = await RunAsync("--config", dir.ConfigFile, "--hocon", hocon);
        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Contains("max-connections", Assert.Single(Lines(stderr)));

        (code, _, stderr) = await RunAsync("--config", dir.ConfigFile, "--hocon", Path.Combine(dir.Root, "absent.hocon"));
        Assert.Equal(ExitCodes.Configuration, code);
        Assert.Contains("absent.hocon", stderr);
    }

    [Fact]
    public async Task A_bad_command_line_exits_64()
    {
        var (code, _, stderr) = await RunAsync("--no-such-option");
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("--no-such-option", stderr);

        (code, _, _) = await RunAsync("--config");
        Assert.Equal(ExitCodes.Usage, code);
    }

    [Fact]
    public async Task Print_config_shows_every_key_without_the_secret_and_exits_0()
    {
        using var dir = new DaemonDirectory();

        var (code, stdout, _) = await RunAsync("--config", dir.ConfigFile, "--print-config");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Contains($"socket_path = {dir.SocketPath}", stdout);
        Assert.Contains("client_secret = ***", stdout);
        Assert.DoesNotContain("bastionsecret", stdout);
        Assert.False(Directory.Exists(dir.CacheDir)); // printing touches nothing
    }

    [Fact]
    public async Task A_cache_locked_by_another_process_exits_75()
    {
        using var dir = new DaemonDirectory();
        Directory.CreateDirectory(dir.CacheDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.True(DirectoryLock.TryAcquire(dir.CacheDir, out var held));
        using (held)
        {
            var (code, _, stderr) = await RunAsync("--config", dir.ConfigFile);

            Assert.Equal(ExitCodes.Locked, code);
            Assert.Contains("locked by another process", stderr);
        }
    }

    [Fact]
    public async Task A_daemon_started_while_ob_cache_admin_holds_the_lock_waits_then_starts()
    {
        using var dir = new DaemonDirectory();
        Directory.CreateDirectory(dir.CacheDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.True(DirectoryLock.TryAcquire(dir.CacheDir, out var admin, DirectoryLock.AdminHolder));
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "obactors"))
        {
            ArgumentList = { "--config", dir.ConfigFile },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        start.Environment.Remove("OB_CONFIG_FILE");
        start.Environment.Remove("OB_CACHE_DIR");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            // The daemon says it waits; nothing is served meanwhile.
            string? line;
            do line = await process.StandardError.ReadLineAsync(guard.Token);
            while (line is not null && !line.Contains("waiting up to", StringComparison.Ordinal));
            Assert.NotNull(line);
            Assert.Contains($"ob-cache-admin (pid {Environment.ProcessId})", line);
            Assert.False(process.HasExited);
            Assert.Equal(FileKind.Missing, FileStatus.Of(dir.SocketPath).Kind);

            admin!.Dispose(); // the admin command ends

            while (!guard.IsCancellationRequested && !process.HasExited && FileStatus.Of(dir.SocketPath).Kind != FileKind.Socket)
                await Task.Delay(50, guard.Token);
            Assert.False(process.HasExited, $"the daemon exited {(process.HasExited ? process.ExitCode : 0)}");
            var answer = await AuthenticateAsync(dir.SocketPath);
            Assert.NotEqual(BridgeStatus.Success, answer.Status); // served (the portal on port 9 is down, nothing is cached)

            Assert.Equal(0, Kill(process.Id, 15));
            await process.WaitForExitAsync(guard.Token);
            Assert.Equal(ExitCodes.Ok, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            admin!.Dispose();
            await stdout;
        }
    }

    private static async Task<AuthResponseFrame> AuthenticateAsync(string socket)
    {
        await using var client = await BridgeClient.ConnectAsync(socket);
        await client.SendAsync(BridgeClient.Request("dwho", "dwho"));
        return await client.ReceiveAsync<AuthResponseFrame>();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public async Task A_socket_path_that_cannot_be_created_exits_73_and_leaves_the_file_alone()
    {
        using var dir = new DaemonDirectory();
        Directory.CreateDirectory(Path.GetDirectoryName(dir.SocketPath)!);
        await File.WriteAllTextAsync(dir.SocketPath, "not a socket");

        var (code, _, stderr) = await RunAsync("--config", dir.ConfigFile);

        Assert.Equal(ExitCodes.CannotCreate, code);
        Assert.Contains("not a socket", stderr);
        Assert.Equal("not a socket", await File.ReadAllTextAsync(dir.SocketPath));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static Task<(int Code, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(null, args);

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(IDictionary<string, string>? env, params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "obactors"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment.Remove("OB_CONFIG_FILE");
        start.Environment.Remove("OB_CACHE_DIR");
        foreach (var (key, value) in env ?? new Dictionary<string, string>()) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
