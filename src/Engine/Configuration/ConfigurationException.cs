namespace OpenBastion.Engine.Configuration;

/// <summary>
/// The configuration cannot be used. <see cref="Errors"/> holds every problem found, one line each,
/// naming the key, the value and what is allowed (never the client secret's value).
/// </summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException(IReadOnlyList<string> errors, string? configFile)
        : base(string.Join(Environment.NewLine, errors))
    {
        if (errors.Count == 0) throw new ArgumentException("at least one error is required", nameof(errors));
        Errors = errors;
        ConfigFile = configFile;
    }

    public ConfigurationException(string error, string? configFile = null) : this([error], configFile)
    {
    }

    /// <summary>Every problem, one line each.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The configuration file that was read (or was missing), when there is one.</summary>
    public string? ConfigFile { get; }
}
