using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OpenBastion.Host.Logging;

/// <summary>Where the daemon's logs go: syslog when running as a service, the terminal when run by hand.</summary>
public static class LoggingSetup
{
    /// <summary>
    /// Syslog (authpriv) when stderr is not a terminal or with --syslog; the console (stderr, one line
    /// per record) when stderr is a terminal or with --foreground. Both at once is allowed.
    /// </summary>
    public static ILoggingBuilder AddObActorsLogging(this ILoggingBuilder logging, DaemonArguments options)
    {
        var onTerminal = !Console.IsErrorRedirected;
        var toSyslog = options.Syslog || !onTerminal;
        var toConsole = options.Foreground || onTerminal;

        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        // The generic host's own chatter ("Application started", content root…) is noise in an auth log.
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Warning);

        if (toConsole)
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.IncludeScopes = false;
            });
            logging.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        }
        if (toSyslog) logging.AddProvider(new SyslogLoggerProvider());
        return logging;
    }
}
