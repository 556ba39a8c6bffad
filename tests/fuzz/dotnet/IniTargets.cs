using System.Text;
using System.Text.RegularExpressions;
using OpenBastion.Engine.Configuration;
using static OpenBastion.Fuzz.FuzzAssertionException;

namespace OpenBastion.Fuzz;

/// <summary>The configuration file: <see cref="IniFile"/> then <see cref="SettingsParser"/>.</summary>
internal static partial class IniTargets
{
    [GeneratedRegex("^[a-z0-9_.\\-]+$")]
    private static partial Regex LowerKey();

    /// <summary>
    /// The bytes as openbastion.conf (strict UTF-8, as the loader reads it): parsing and applying never
    /// throw; keys come out lower-case, well-formed and once each; and a client secret that appears only
    /// once in the file is never echoed in an error message. <c>client_secret_file</c> is left out so that
    /// the target never opens a file the input names.
    /// </summary>
    public static void Run(byte[] data)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(data);
        }
        catch (DecoderFallbackException)
        {
            return;
        }

        var errors = new List<string>();
        var values = IniFile.Parse(text, "fuzz.conf", errors);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (key, value) in values)
        {
            Check(LowerKey().IsMatch(key), "a key that is not lower-case [a-z0-9_.-]+");
            Check(seen.Add(key), $"key '{key}' returned twice");
            Check(value is not null, $"key '{key}' has a null value");
        }

        var parser = new SettingsParser("fuzz.conf", errors);
        parser.Apply(values.Where(kv => kv.Key != ConfigKeys.ClientSecretFile).ToList());
        _ = parser.Finish(null);

        var secret = values.FirstOrDefault(kv => kv.Key == ConfigKeys.ClientSecret).Value;
        if (secret is { Length: >= 4 } && Occurrences(text, secret) == 1)
            foreach (var error in errors)
                Check(!error.Contains(secret, StringComparison.Ordinal), "an error message echoes the client secret");
    }

    private static int Occurrences(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + 1, StringComparison.Ordinal))
            count++;
        return count;
    }
}
