using OpenBastion.Engine.Cache;

namespace OpenBastion.Engine.Tests.Cache;

public class CacheFileNameTests
{
    [Fact]
    public void Key_is_the_first_16_bytes_of_sha256_of_cred_user_in_lowercase_hex()
    {
        Assert.Equal("e91494c30192fd38b4493d8ea7d6d268", CacheFileName.KeyFor("alice"));
        Assert.Equal(VectorLocator.EntryFileName, CacheFileName.FileName("alice"));
        Assert.NotEqual(CacheFileName.KeyFor("alice"), CacheFileName.KeyFor("Alice"));
    }

    [Theory]
    [InlineData("e91494c30192fd38b4493d8ea7d6d268", true)]
    [InlineData("E91494C30192FD38B4493D8EA7D6D268", false)]
    [InlineData("e91494c30192fd38b4493d8ea7d6d26", false)]
    [InlineData("e91494c30192fd38b4493d8ea7d6d2680", false)]
    [InlineData("g91494c30192fd38b4493d8ea7d6d268", false)]
    [InlineData("../94c30192fd38b4493d8ea7d6d26800", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Valid_keys_are_32_lowercase_hex_digits(string? key, bool valid) =>
        Assert.Equal(valid, CacheFileName.IsValidKey(key));

    [Fact]
    public void Entry_and_temporary_names_are_recognised()
    {
        var key = CacheFileName.KeyFor("bob");
        Assert.Equal(key, CacheFileName.KeyOfEntryFile(key + ".cred"));
        Assert.Null(CacheFileName.KeyOfEntryFile(key + ".cred.bak"));
        Assert.Null(CacheFileName.KeyOfEntryFile(".cred_salt"));

        var temp = CacheFileName.NewTemporaryName(key);
        Assert.StartsWith("." + key + ".", temp);
        Assert.True(CacheFileName.IsTemporaryName(temp));
        Assert.NotEqual(temp, CacheFileName.NewTemporaryName(key));
        Assert.Null(CacheFileName.KeyOfEntryFile(temp));
        Assert.False(CacheFileName.IsTemporaryName("." + key + ".tmp"));
        Assert.False(CacheFileName.IsTemporaryName(".lock"));
        Assert.Throws<ArgumentException>(() => CacheFileName.FileNameForKey("../etc/passwd"));
    }
}
