using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>Writes configuration files into a scratch directory and loads them without touching /etc.</summary>
public abstract class ConfigFileFixture : IDisposable
{
    protected ScratchDirectory Dir { get; } = new();

    /// <summary>A default path that does not exist, so that "no file" means defaults.</summary>
    protected string MissingDefault => Dir.Combine("absent-default.conf");

    protected static readonly IReadOnlyDictionary<string, string?> NoEnvironment = new Dictionary<string, string?>();

    protected string WriteConfig(string text, string name = "openbastion.conf") => Dir.Write(name, text);

    protected EngineSettings LoadText(string text, IReadOnlyDictionary<string, string?>? env = null) =>
        SettingsLoader.Load(WriteConfig(text), env ?? NoEnvironment, MissingDefault);

    protected ConfigurationException LoadFails(string text, IReadOnlyDictionary<string, string?>? env = null) =>
        Assert.Throws<ConfigurationException>(() => LoadText(text, env));

    public void Dispose()
    {
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }
}
