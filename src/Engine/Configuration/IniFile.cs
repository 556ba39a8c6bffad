using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration.Ini;

namespace OpenBastion.Engine.Configuration;

/// <summary>
/// Reads <c>openbastion.conf</c>: <c>key = value</c> lines, <c>#</c> and <c>;</c> comment lines,
/// optional <c>[section]</c> headers (ignored: every key is global). Values are parsed by
/// Microsoft.Extensions.Configuration.Ini (trimmed, surrounding double quotes removed) after a line
/// check of our own, so that a malformed line is reported with its number but never echoed (it could
/// hold the client secret), and a key given twice is an error rather than a silent choice.
/// </summary>
internal static partial class IniFile
{
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+$")]
    private static partial Regex KeyPattern();

    /// <summary>Lower-case key → value, in file order. Problems are added to <paramref name="errors"/>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(string text, string file, List<string> errors)
    {
        var accepted = new StringBuilder();
        var order = new List<string>();
        var lineNumbers = new Dictionary<string, int>(StringComparer.Ordinal);
        var lines = text.ReplaceLineEndings("\n").Split('\n');

        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']' || line.Length < 3)
                    errors.Add($"line {number} of {file}: malformed section header (expected '[name]')");
                continue;
            }

            var eq = line.IndexOf('=');
            var key = eq > 0 ? line[..eq].Trim() : string.Empty;
            if (eq <= 0 || !KeyPattern().IsMatch(key))
            {
                errors.Add($"line {number} of {file}: expected 'key = value'");
                continue;
            }

            key = key.ToLowerInvariant();
            if (lineNumbers.TryGetValue(key, out var first))
            {
                errors.Add($"key '{key}' is set twice in {file} (lines {first} and {number})");
                continue;
            }

            lineNumbers[key] = number;
            order.Add(key);
            accepted.Append(key).Append('=').Append(line[(eq + 1)..]).Append('\n');
        }

        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(accepted.ToString()));
        var parsed = IniStreamConfigurationProvider.Read(stream);
        var result = new List<KeyValuePair<string, string>>(order.Count);
        foreach (var key in order)
            result.Add(new(key, parsed.TryGetValue(key, out var v) ? v ?? string.Empty : string.Empty));
        return result;
    }
}
