using System.Diagnostics;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Native;

namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>The client secret: never printed, read from a protected file when given as client_secret_file.</summary>
public sealed class SecretSettingsTests : ConfigFileFixture
{
    private const string Secret = "Zs3cr3t-Value-9f2b";

    [Fact]
    public void Describe_masks_the_client_secret_and_lists_every_key_with_its_source()
    {
        var s = LoadText($"client_secret = {Secret}\nportal_url = https://auth.example.com\n");
        var lines = SettingsLoader.Describe(s);

        Assert.Equal(ConfigKeys.All.Count, lines.Count);
        Assert.DoesNotContain(lines, l => l.Contains(Secret));
        Assert.Contains($"client_secret = ***  ({s.ConfigFile})", lines);
        Assert.Contains($"portal_url = https://auth.example.com  ({s.ConfigFile})", lines);
        Assert.Contains("offline_cache_ttl = 86400  (default)", lines);
        Assert.Contains("offline_lockout_multiplier = 2.0  (default)", lines);
        Assert.Contains("offline_mode = enabled  (default)", lines);
        Assert.Contains("socket_allowed_uids = 0  (default)", lines);
        Assert.Equal(ConfigKeys.All, lines.Select(l => l[..l.IndexOf(" = ", StringComparison.Ordinal)]));
    }

    [Fact]
    public void Describe_shows_an_absent_secret_as_empty()
    {
        var lines = SettingsLoader.Describe(SettingsLoader.Load(null, NoEnvironment, MissingDefault));
        Assert.Contains("client_secret =   (default)", lines);
    }

    [Fact]
    public void ToString_masks_the_client_secret()
    {
        var s = LoadText($"client_secret = {Secret}\n");
        Assert.Equal(Secret, s.ClientSecret);
        Assert.DoesNotContain(Secret, s.ToString());
        Assert.Contains("ClientSecret = ***", s.ToString());
    }

    [Fact]
    public void The_secret_file_is_read_without_its_trailing_newline()
    {
        var file = Dir.Write("client.secret", Secret + "\r\n");
        var s = LoadText($"client_secret_file = {file}\n");
        Assert.Equal(Secret, s.ClientSecret);
        Assert.Equal(file, s.Sources["client_secret"]);
        Assert.Contains($"client_secret = ***  ({file})", SettingsLoader.Describe(s));
    }

    [Fact]
    public void A_secret_file_readable_by_others_is_refused_without_showing_the_secret()
    {
        var file = Dir.Write("client.secret", Secret, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var e = LoadFails($"client_secret_file = {file}\n");
        Assert.Equal([$"client_secret_file = {file}: is accessible by group or others (mode 0644); run: chmod 600 {file}"], e.Errors);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void A_missing_or_empty_secret_file_is_refused()
    {
        var missing = Dir.Combine("absent.secret");
        Assert.Equal([$"client_secret_file = {missing}: no such file"], LoadFails($"client_secret_file = {missing}").Errors);

        var empty = Dir.Write("empty.secret", "\n");
        Assert.Equal([$"client_secret_file = {empty}: is empty"], LoadFails($"client_secret_file = {empty}").Errors);
    }

    [Fact]
    public void When_running_as_root_a_secret_file_owned_by_another_user_is_refused()
    {
        var file = Dir.Write("client.secret", Secret);
        if (!Libc.IsRoot)
        {
            // Not root: ownership is not checked (an unprivileged daemon reads its own files).
            Assert.Equal(Secret, LoadText($"client_secret_file = {file}").ClientSecret);
            return;
        }

        Chown(file, 4242);
        var e = LoadFails($"client_secret_file = {file}\n");
        Assert.Equal([$"client_secret_file = {file}: is owned by uid 4242, not root; run: chown root: {file}"], e.Errors);
    }

    [Theory]
    [InlineData(0b110_100_100, "0644")]
    [InlineData(0b110_100_000, "0640")]
    [InlineData(0b110_000_100, "0604")]
    public void An_inline_client_secret_in_a_config_file_others_can_read_is_refused(int mode, string octal)
    {
        var path = Dir.Write("loose.conf", $"portal_url = https://auth.example.com\nclient_secret = {Secret}\n", (UnixFileMode)mode);

        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));

        Assert.Equal([$"client_secret is set in {path}, which is accessible by group or others (mode {octal}); run: chmod 600 {path} " +
                      "(or move the secret to a 0600 client_secret_file)"], e.Errors);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Fact]
    public void A_config_file_others_can_read_is_fine_without_an_inline_secret()
    {
        var open = (UnixFileMode)0b110_100_100;
        var secretFile = Dir.Write("client.secret", Secret);
        Assert.Null(SettingsLoader.Load(Dir.Write("a.conf", "portal_url = https://a.example\n", open), NoEnvironment, MissingDefault).ClientSecret);
        Assert.Null(SettingsLoader.Load(Dir.Write("b.conf", "client_secret =\n", open), NoEnvironment, MissingDefault).ClientSecret);
        Assert.Equal(Secret, SettingsLoader.Load(Dir.Write("c.conf", $"client_secret_file = {secretFile}\n", open), NoEnvironment, MissingDefault).ClientSecret);
        Assert.Equal(Secret, LoadText($"client_secret = {Secret}\n").ClientSecret); // 0600: accepted
    }

    [Fact]
    public void When_running_as_root_an_inline_secret_in_a_config_file_owned_by_another_user_is_refused()
    {
        if (!Libc.IsRoot) return;
        var path = WriteConfig($"client_secret = {Secret}\n");
        Chown(path, 4242);

        var e = Assert.Throws<ConfigurationException>(() => SettingsLoader.Load(path, NoEnvironment, MissingDefault));

        Assert.Equal([$"client_secret is set in {path}, which is owned by uid 4242, not root; run: chown root: {path} " +
                      "(or move the secret to a 0600 client_secret_file)"], e.Errors);
    }

    internal static void Chown(string path, int uid)
    {
        using var p = Process.Start(new ProcessStartInfo("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path])
        {
            RedirectStandardError = true,
        })!;
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"chown failed: {p.StandardError.ReadToEnd()}");
    }
}
