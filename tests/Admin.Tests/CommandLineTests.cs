using OpenBastion.Admin.Tests.Support;

namespace OpenBastion.Admin.Tests;

/// <summary>Arguments, help, the root check and configuration errors: one line, the documented exit code.</summary>
public sealed class CommandLineTests : IAsyncLifetime
{
    private readonly AdminSandbox _sandbox = AdminSandbox.Create();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Theory]
    [InlineData("no command given")]
    [InlineData("unknown command 'frobnicate'", "frobnicate")]
    [InlineData("'show' needs a user name", "show")]
    [InlineData("'unlock' takes one user name, got 'bob'", "unlock", "alice", "bob")]
    [InlineData("'list' takes no argument, got 'alice'", "list", "alice")]
    [InlineData("unknown option '--frob'", "list", "--frob")]
    [InlineData("option '-c' needs a value", "list", "-c")]
    [InlineData("--yes goes with 'invalidate-all' only", "list", "--yes")]
    [InlineData("--clear goes with 'online' only", "offline", "--clear")]
    [InlineData("--from-key-file goes with 'rekey' only", "list", "--from-key-file", "/tmp/x")]
    [InlineData("'rekey' takes no argument, got 'now'", "rekey", "now")]
    public async Task Bad_command_lines_exit_2_with_one_line_and_a_hint(string message, params string[] args)
    {
        var run = await _sandbox.RunAsync(args);
        Assert.Equal(2, run.Code);
        Assert.Equal($"ob-cache-admin: {message}\nTry 'ob-cache-admin --help'.\n", run.Err);
    }

    [Fact]
    public async Task Help_lists_the_commands_and_the_exit_codes_without_needing_root()
    {
        var run = await _sandbox.RunAsync(["--help"], root: false);
        Assert.Equal(0, run.Code);
        foreach (var word in new[] { "list", "stats", "show USER", "invalidate USER", "invalidate-all", "unlock USER", "expire", "cleanup", "config", "status", "offline", "online", "auth USER", "rekey", "--from-key-file OLD", "77  not run as root" })
            Assert.Contains(word, run.Out);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("status")]
    [InlineData("unlock", "bob")]
    public async Task Every_command_refuses_a_non_root_user_with_exit_77(params string[] args)
    {
        var run = await _sandbox.RunAsync(args, root: false);
        Assert.Equal(77, run.Code);
        Assert.Equal("ob-cache-admin: must be run as root (the cache and the daemon's socket belong to root)\n", run.Err);
    }

    [Fact]
    public async Task A_bad_configuration_exits_78_naming_the_key()
    {
        File.AppendAllText(_sandbox.ConfigFile, "\noffline_lockout_multiplier = lots\n");
        var run = await _sandbox.RunAsync("list");
        Assert.Equal(78, run.Code);
        Assert.StartsWith("ob-cache-admin: configuration error: ", run.Err);
        Assert.Contains("offline_lockout_multiplier = lots: must be a number between 1.0 and 10.0", run.Err);
        Assert.Single(run.Err.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public async Task An_empty_user_name_is_a_bad_argument()
    {
        _sandbox.Seed(_ => { });
        var run = await _sandbox.RunAsync("show", "");
        Assert.Equal(2, run.Code);
        Assert.Equal("ob-cache-admin: the user name is empty\n", run.Err);
    }
}
