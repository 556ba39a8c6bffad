using Akka.Configuration;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Bridge;
using ConfigurationException = OpenBastion.Engine.Configuration.ConfigurationException;

namespace OpenBastion.Host.Tests;

public sealed class BridgeOptionsTests
{
    private static readonly EngineSettings Settings = EngineSettings.Defaults with { SocketPath = "/run/x.sock", SocketAllowedUids = [0, 42] };

    [Fact]
    public void Defaults_come_from_the_protocol_and_the_settings()
    {
        var options = BridgeOptions.From(Settings, ConfigurationFactory.ParseString("obactors.user.stash-bound = 3"));
        Assert.Equal(("/run/x.sock", TimeSpan.FromSeconds(5), 1024), (options.SocketPath, options.FrameTimeout, options.MaxConnections));
        Assert.Equal([0u, 42u], options.AllowedUids);
    }

    [Fact]
    public void The_hocon_may_tune_the_bounds()
    {
        var options = BridgeOptions.From(Settings, ConfigurationFactory.ParseString(
            "obactors.bridge { frame-timeout = 2s, max-connections = 64, shutdown-grace = 3s }"));
        Assert.Equal((TimeSpan.FromSeconds(2), 64, TimeSpan.FromSeconds(3)), (options.FrameTimeout, options.MaxConnections, options.ShutdownGrace));
    }

    [Theory]
    [InlineData("obactors.bridge.max-connections = 0", "max-connections")]
    [InlineData("obactors.bridge.frame-timeout = never", "frame-timeout")]
    public void A_bad_bound_is_a_configuration_error_naming_it(string hocon, string key)
    {
        var ex = Assert.Throws<ConfigurationException>(() => BridgeOptions.From(Settings, ConfigurationFactory.ParseString(hocon)));
        Assert.Contains(key, Assert.Single(ex.Errors));
    }

    [Theory]
    [InlineData("obactors.bridge.max-connections = 0", "obactors.bridge.max-connections must be a positive number")]
    [InlineData("obactors.bridge.peer-burst = lots", "obactors.bridge.peer-burst must be a positive number")]
    [InlineData("obactors.bridge.shutdown-grace = 0s", "obactors.bridge.shutdown-grace must be a positive duration (e.g. 5s)")]
    [InlineData("obactors.bridge.peer-refill = never", "obactors.bridge.peer-refill must be a positive duration (e.g. 5s)")]
    public void A_bad_bound_is_refused_the_same_whether_unreadable_or_not_positive(string hocon, string message)
    {
        var ex = Assert.Throws<ConfigurationException>(() => BridgeOptions.From(Settings, ConfigurationFactory.ParseString(hocon)));
        Assert.Equal(message, Assert.Single(ex.Errors));
    }

    [Theory]
    [InlineData(0u, 30_000)]
    [InlineData(5u, 100)]
    [InlineData(7_000u, 7_000)]
    [InlineData(uint.MaxValue, 300_000)]
    public void A_request_timeout_is_clamped(uint timeoutMs, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), BridgeOptions.From(Settings).RequestTimeout(timeoutMs));
}
