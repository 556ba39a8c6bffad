using System.Text.Json;
using OpenBastion.Engine.Configuration;

namespace OpenBastion.Engine.Online;

/// <summary>
/// Turns a userinfo answer into <see cref="UserAttributes"/>: <c>name</c> is the gecos;
/// <c>loginShell</c> (or <c>shell</c>) and <c>homeDirectory</c> (or <c>home</c>) when the portal sends
/// them, else the configured defaults (<c>%u</c> in the default home becomes the user name).
/// Values that could not sit in a passwd line (':' or control characters) or are not absolute paths
/// are ignored in favour of the defaults.
/// </summary>
public static class UserinfoClaims
{
    private const int MaxLength = 1024;

    /// <summary>The attributes when the portal told us nothing (userinfo missing or failed).</summary>
    public static UserAttributes Defaults(EngineSettings settings, string user) =>
        new(null, settings.DefaultShell, settings.DefaultHome.Replace("%u", user, StringComparison.Ordinal));

    /// <summary>Null (and a reason) when the answer is not a JSON object.</summary>
    public static UserAttributes? Parse(ReadOnlySpan<byte> json, EngineSettings settings, string user, out string? reason)
    {
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                reason = "userinfo answer is not a JSON object";
                return null;
            }
            var defaults = Defaults(settings, user);
            reason = null;
            return new UserAttributes(
                Gecos: Text(root, "name"),
                Shell: Path(root, "loginShell", "shell") ?? defaults.Shell,
                Home: Path(root, "homeDirectory", "home") ?? defaults.Home);
        }
        catch (JsonException)
        {
            reason = "userinfo answer is not valid JSON";
            return null;
        }
    }

    private static string? Text(JsonElement root, string claim)
    {
        if (!root.TryGetProperty(claim, out var v) || v.ValueKind != JsonValueKind.String) return null;
        var s = v.GetString();
        if (string.IsNullOrWhiteSpace(s) || s.Length > MaxLength) return null;
        foreach (var c in s)
        {
            if (c == ':' || char.IsControl(c)) return null;
        }
        return s;
    }

    private static string? Path(JsonElement root, string claim, string alternative)
    {
        var value = Text(root, claim) ?? Text(root, alternative);
        return value is not null && value.StartsWith('/') ? value : null;
    }
}
