using System.Globalization;

namespace OpenBastion.Bench;

/// <summary>"--name value" and "--flag" arguments of a bench command; unknown names are refused.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Options(IEnumerable<string> args, params string[] flags)
    {
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var a = list[i];
            if (!a.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"unexpected argument '{a}'");
            var name = a[2..];
            if (flags.Contains(name)) _values[name] = null;
            else if (i + 1 < list.Count) _values[name] = list[++i];
            else throw new ArgumentException($"--{name} needs a value");
        }
    }

    public bool Flag(string name) { _used.Add(name); return _values.ContainsKey(name); }

    public string? Get(string name) { _used.Add(name); return _values.GetValueOrDefault(name); }

    public string Require(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public string Get(string name, string fallback) => Get(name) ?? fallback;

    public int Int(string name, int fallback) =>
        Get(name) is { } v ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

    /// <summary>Call once every option has been read: refuses a misspelt one.</summary>
    public void CheckAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
