using Microsoft.Extensions.Configuration.Ini;

namespace OpenBastion.Engine.Tests.Configuration;

/// <summary>What the INI provider itself does with comments and quotes (the loader relies on it).</summary>
public sealed class IniCommentTests
{
    [Fact]
    public void The_provider_skips_hash_and_semicolon_comments_and_strips_quotes()
    {
        using var stream = new MemoryStream("# hash\n; semi\nkey = \" spaced \"\nother=1\n"u8.ToArray());
        var values = IniStreamConfigurationProvider.Read(stream);
        Assert.Equal(2, values.Count);
        Assert.Equal(" spaced ", values["key"]);
        Assert.Equal("1", values["other"]);
    }
}
