using System.Text;
using OpenBastion.Host.Admin;
using OpenBastion.Host.AdminTool;

namespace OpenBastion.Admin.Tests;

/// <summary>auth --password-stdin reads its line as bytes (issue 10 item 7).</summary>
public sealed class SecretLineTests
{
    private static MemoryStream Input(string text) => new(Encoding.UTF8.GetBytes(text));

    [Theory]
    [InlineData("pw\n", "pw")]
    [InlineData("pw\r\n", "pw")]
    [InlineData("pw", "pw")]
    [InlineData("\n", "")]
    [InlineData("pässwörd €\n", "pässwörd €")]
    public void One_line_is_read_without_its_end(string input, string expected) =>
        Assert.Equal(Encoding.UTF8.GetBytes(expected), SecretLine.Read(Input(input), 1024));

    [Fact]
    public void Nothing_past_the_line_is_consumed()
    {
        var input = Input("first\nsecond\n");
        Assert.Equal("first"u8.ToArray(), SecretLine.Read(input, 1024));
        Assert.Equal("second"u8.ToArray(), SecretLine.Read(input, 1024));
        Assert.Null(SecretLine.Read(input, 1024));
    }

    [Fact]
    public void A_line_over_the_bound_is_a_usage_error()
    {
        Assert.Equal(8, SecretLine.Read(Input(new string('x', 8) + "\n"), 8)!.Length);
        var failure = Assert.Throws<AdminFailure>(() => SecretLine.Read(Input(new string('x', 9) + "\n"), 8));
        Assert.Equal(AdminExitCodes.Usage, failure.ExitCode);
        Assert.Contains("longer than 8 bytes", failure.Message);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_or_hold_NUL_are_a_usage_error()
    {
        Assert.Equal(AdminExitCodes.Usage, Assert.Throws<AdminFailure>(() => SecretLine.Read(new MemoryStream([0x70, 0xFF, 0x0A]), 64)).ExitCode);
        Assert.Equal(AdminExitCodes.Usage, Assert.Throws<AdminFailure>(() => SecretLine.Read(new MemoryStream([0x70, 0x00, 0x0A]), 64)).ExitCode);
    }
}
