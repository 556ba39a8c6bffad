using System.Globalization;

namespace OpenBastion.Bench;

/// <summary>
/// The run's figures: "key=value" lines appended to one file (bench/run.sh passes --results), read back by
/// the report. Values are invariant-culture numbers or short texts on one line.
/// </summary>
internal sealed class Results(string? path, string prefix)
{
    public void Put(string key, double value) => Put(key, value.ToString("0.###", CultureInfo.InvariantCulture));

    public void Put(string key, string value)
    {
        var line = $"{prefix}{key}={value.Replace('\n', ' ')}";
        Console.WriteLine("  " + line);
        if (path is not null) File.AppendAllText(path, line + "\n");
    }

    public static Results From(Options o) => new(o.Get("results"), o.Get("label") is { } l ? l + "." : "");

    public static Dictionary<string, string> Load(string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(path))
        {
            var eq = line.IndexOf('=');
            if (eq > 0) map[line[..eq]] = line[(eq + 1)..]; // a later line wins
        }
        return map;
    }
}
