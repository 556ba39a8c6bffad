using Akka.Configuration;

namespace OpenBastion.Actors;

/// <summary>
/// The actor system's configuration: <c>obactors.hocon</c> (embedded from the repository root)
/// under an optional operator override file.
/// </summary>
public static class ObActorsConfig
{
    private const string ResourceName = "obactors.hocon";

    private static readonly Lazy<Config> Embedded = new(() =>
    {
        using var stream = typeof(ObActorsConfig).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    });

    /// <summary>The documented defaults.</summary>
    public static Config Default => Embedded.Value;

    /// <summary>The defaults under <paramref name="overrideFile"/> when that file exists.</summary>
    public static Config Load(string? overrideFile = null)
    {
        if (overrideFile is null || !File.Exists(overrideFile)) return Default;
        return ConfigurationFactory.ParseString(File.ReadAllText(overrideFile)).WithFallback(Default);
    }
}
