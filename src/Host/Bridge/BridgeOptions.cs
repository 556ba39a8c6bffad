using Akka.Configuration;
using OpenBastion.Wire;
using OpenBastion.Engine.Configuration;
using ConfigurationException = OpenBastion.Engine.Configuration.ConfigurationException;

namespace OpenBastion.Host.Bridge;

/// <summary>How the bridge socket is served. Defaults from the protocol and the configuration.</summary>
public sealed record BridgeOptions
{
    /// <summary>The Unix socket (settings: socket_path).</summary>
    public required string SocketPath { get; init; }

    /// <summary>
    /// socket_allowed_uids: trusted services that may authenticate any user (never send admin
    /// frames). Root (0) always may; every other peer may authenticate only its own account
    /// (<see cref="PeerPolicy"/>).
    /// </summary>
    public IReadOnlyList<uint> AllowedUids { get; init; } = [0];

    /// <summary>Requests a non-root peer may send at once before it is rate-limited (obactors.bridge.peer-burst).</summary>
    public int PeerBurst { get; init; } = 5;

    /// <summary>One more request is allowed to a non-root peer every this long (obactors.bridge.peer-refill).</summary>
    public TimeSpan PeerRefill { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>Slow-loris bound: a frame must arrive completely within this time (protocol: 5 s).</summary>
    public TimeSpan FrameTimeout { get; init; } = BridgeProtocol.FrameTimeout;

    /// <summary>Connections served at once; one more gets AUTH_RESPONSE BUSY and is closed.</summary>
    public int MaxConnections { get; init; } = 1024;

    /// <summary>The deadline used when a request says timeout_ms = 0.</summary>
    public TimeSpan DefaultRequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest deadline a request may ask for.</summary>
    public TimeSpan MaxRequestTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The Ask waits this much beyond the request's deadline so the actor's own "timed out" reply wins.</summary>
    public TimeSpan AskGrace { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>On shutdown, how long in-flight requests may take to be answered before their connections are cut.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    public static BridgeOptions From(EngineSettings settings) => new()
    {
        SocketPath = settings.SocketPath,
        AllowedUids = settings.SocketAllowedUids,
    };

    /// <summary>
    /// As <see cref="From(EngineSettings)"/>, with the optional <c>obactors.bridge { frame-timeout,
    /// max-connections, shutdown-grace, peer-burst, peer-refill }</c> of the actor system's HOCON (the defaults stand when absent).
    /// </summary>
    public static BridgeOptions From(EngineSettings settings, Config? hocon)
    {
        var options = From(settings);
        if (hocon is null || hocon.IsEmpty || !hocon.HasPath("obactors.bridge")) return options;
        var bridge = hocon.GetConfig("obactors.bridge");
        return options with
        {
            FrameTimeout = Positive(() => bridge.GetTimeSpan("frame-timeout", options.FrameTimeout), "frame-timeout"),
            MaxConnections = (int)Positive(() => bridge.GetInt("max-connections", options.MaxConnections), "max-connections"),
            ShutdownGrace = Positive(() => bridge.GetTimeSpan("shutdown-grace", options.ShutdownGrace), "shutdown-grace"),
            PeerBurst = (int)Positive(() => bridge.GetInt("peer-burst", options.PeerBurst), "peer-burst"),
            PeerRefill = Positive(() => bridge.GetTimeSpan("peer-refill", options.PeerRefill), "peer-refill"),
        };
    }

    private static long Positive(Func<int> read, string key) =>
        Checked(read, value => value > 0, key, "a positive number");

    private static TimeSpan Positive(Func<TimeSpan> read, string key) =>
        Checked(read, value => value > TimeSpan.Zero, key, "a positive duration (e.g. 5s)");

    /// <summary>The value <paramref name="read"/> gives; the same refusal whether it cannot be read or is not <paramref name="valid"/>.</summary>
    private static T Checked<T>(Func<T> read, Func<T, bool> valid, string key, string expected)
    {
        var refusal = $"obactors.bridge.{key} must be {expected}";
        T value;
        try
        {
            value = read();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new ConfigurationException(refusal);
        }
        return valid(value) ? value : throw new ConfigurationException(refusal);
    }

    /// <summary>The deadline a request's timeout_ms gives, clamped to [100 ms, <see cref="MaxRequestTimeout"/>].</summary>
    public TimeSpan RequestTimeout(uint timeoutMs)
    {
        if (timeoutMs == 0) return DefaultRequestTimeout;
        var asked = TimeSpan.FromMilliseconds(timeoutMs);
        if (asked < TimeSpan.FromMilliseconds(100)) return TimeSpan.FromMilliseconds(100);
        return asked > MaxRequestTimeout ? MaxRequestTimeout : asked;
    }
}
