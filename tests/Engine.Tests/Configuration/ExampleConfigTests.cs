using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>etc/openbastion.conf documents every key with its true default.</summary>
public sealed class ExampleConfigTests : ConfigFileFixture
{
    private static string ExampleFile([CallerFilePath] string source = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(source)!); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "etc", "openbastion.conf");
            if (File.Exists(candidate)) return candidate;
        }

        throw new FileNotFoundException("etc/openbastion.conf not found above " + source);
    }

    [Fact]
    public void The_example_loads_as_is_and_gives_the_defaults()
    {
        var s = SettingsLoader.Load(ExampleFile(), NoEnvironment, MissingDefault);
        Assert.Equal(
            SettingsLoader.Describe(EngineSettings.Defaults).Select(StripSource),
            SettingsLoader.Describe(s).Select(StripSource));
    }

    [Fact]
    public void Uncommenting_every_key_of_the_example_still_gives_the_defaults()
    {
        var keyLine = new Regex(@"^# ([a-z0-9_]+) =(.*)$");
        var lines = File.ReadAllLines(ExampleFile())
            .Select(l => keyLine.Match(l))
            .Where(m => m.Success && ConfigKeys.All.Contains(m.Groups[1].Value))
            .Select(m => m.Value[2..])
            .ToList();

        Assert.Equal(ConfigKeys.All.Order(), lines.Select(l => l[..l.IndexOf(' ')]).Order());
        var s = LoadText(string.Join('\n', lines));
        Assert.Equal(
            SettingsLoader.Describe(EngineSettings.Defaults).Select(StripSource),
            SettingsLoader.Describe(s).Select(StripSource));
    }

    private static string StripSource(string line) => line[..line.LastIndexOf("  (", StringComparison.Ordinal)];
}
