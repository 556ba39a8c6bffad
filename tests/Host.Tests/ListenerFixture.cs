using System.Collections.Concurrent;
using Akka.Actor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using OpenBastion.Actors.Protocol;
using OpenBastion.Host.Admin;
using OpenBastion.Host.Bridge;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Host.Tests;

/// <summary>
/// The real <see cref="BridgeListener"/> on a socket in a fresh temporary directory, in front of a
/// scripted user registry in a real ActorSystem. Frame deadlines run on a <see cref="FakeTimeProvider"/>.
/// </summary>
internal sealed class ListenerFixture : IAsyncDisposable
{
    private readonly ActorSystem _system;
    private readonly ILoggerFactory _loggerFactory;

    private ListenerFixture(BridgeOptions options, TaskCompletionSource? hold, DaemonMetrics? metrics, string root, IAdminFrameHandler? admin)
    {
        Root = root;
        Options = options;
        _system = ActorSystem.Create("host-tests", "akka.loglevel = WARNING\nakka.stdout-loglevel = WARNING");
        _loggerFactory = LoggerFactory.Create(b => b.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        var users = _system.ActorOf(ScriptedUsers.Props(Seen, Passwords, hold), "users");
        var gateway = new ActorAuthenticationGateway(users, _loggerFactory.CreateLogger<ActorAuthenticationGateway>());
        Listener = new BridgeListener(options, gateway, _loggerFactory.CreateLogger<BridgeListener>(), metrics, Time, admin);
    }

    public string Root { get; }

    public string SocketPath => Options.SocketPath;

    public BridgeOptions Options { get; }

    public FakeTimeProvider Time { get; } = new(DateTimeOffset.Parse("2026-01-15T10:00:00Z"));

    public BridgeListener Listener { get; }

    public CapturedLogs Logs { get; } = new();

    public ConcurrentQueue<Authenticate> Seen { get; } = new();

    public ConcurrentQueue<string> Passwords { get; } = new();

    public static async Task<ListenerFixture> StartAsync(
        Func<BridgeOptions, BridgeOptions>? configure = null, TaskCompletionSource? hold = null, DaemonMetrics? metrics = null,
        IAdminFrameHandler? admin = null)
    {
        var root = Directory.CreateTempSubdirectory("obactors-host-").FullName;
        var options = new BridgeOptions { SocketPath = Path.Combine(root, "run", "obactors.sock") };
        options = configure?.Invoke(options) ?? options;
        var fixture = new ListenerFixture(options, hold, metrics, root, admin);
        await fixture.Listener.StartAsync(CancellationToken.None);
        return fixture;
    }

    public Task<BridgeClient> ConnectAsync() => BridgeClient.ConnectAsync(SocketPath);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        await _system.Terminate();
        _loggerFactory.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
