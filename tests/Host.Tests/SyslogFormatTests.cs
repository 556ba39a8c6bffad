using Microsoft.Extensions.Logging;
using OpenBastion.Host.Logging;

namespace OpenBastion.Host.Tests;

public sealed class SyslogFormatTests
{
    [Fact]
    public void Akka_log_events_reach_syslog_in_the_seeds_words()
    {
        const string akka = "[WARNING][11/23/2026 11:42:18.701Z][Thread 0008][akka://obactors/user/users/71ac0c3d] offline auth locked for user 'dwho' (locked for 30s)";
        Assert.Equal("offline auth locked for user 'dwho' (locked for 30s)", SyslogLoggerProvider.WithoutAkkaPrefix(akka));
        Assert.Equal("[not akka] text", SyslogLoggerProvider.WithoutAkkaPrefix("[not akka] text"));
    }

    [Fact]
    public void A_record_is_one_line_whatever_a_user_name_contains()
    {
        Assert.Equal("user 'a  forged: line'", SyslogLoggerProvider.OneLine("user 'a\r\nforged: line'"));
    }

    [Theory]
    [InlineData(LogLevel.Critical, 2)]
    [InlineData(LogLevel.Error, 3)]
    [InlineData(LogLevel.Warning, 4)]
    [InlineData(LogLevel.Information, 6)]
    [InlineData(LogLevel.Debug, 7)]
    public void Levels_map_to_syslog_priorities(LogLevel level, int priority) =>
        Assert.Equal(priority, SyslogLoggerProvider.Priority(level));
}
