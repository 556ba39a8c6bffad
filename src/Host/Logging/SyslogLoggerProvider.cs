using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Logging;

/// <summary>
/// Logs to the local syslog through libc (openlog/syslog), ident "obactors", facility LOG_AUTHPRIV:
/// the authentication log of the host, where the seeds' operators look (DESIGN §3.10). One line per
/// record; an exception adds its type and message, never a stack (kept to the console).
/// </summary>
public sealed partial class SyslogLoggerProvider : ILoggerProvider
{
    private const int LogPid = 0x01;
    private const int LogNDelay = 0x08;
    public const int LogAuthPriv = 10 << 3;

    private static readonly object Gate = new();
    private static nint _ident;

    private readonly LogLevel _minimum;

    public SyslogLoggerProvider(LogLevel minimum = LogLevel.Information, string ident = "obactors", int facility = LogAuthPriv)
    {
        _minimum = minimum;
        lock (Gate)
        {
            // openlog keeps the pointer: allocate once, never free.
            if (_ident == 0)
            {
                _ident = Marshal.StringToCoTaskMemUTF8(ident);
                SyslogNative.OpenLog(_ident, LogPid | LogNDelay, facility);
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new SyslogLogger(_minimum);

    public void Dispose()
    {
        // closelog is not called: other providers may still log during shutdown, and the process exits anyway.
    }

    /// <summary>syslog(3) priority for a log level.</summary>
    public static int Priority(LogLevel level) => level switch
    {
        LogLevel.Critical => 2, // LOG_CRIT
        LogLevel.Error => 3, // LOG_ERR
        LogLevel.Warning => 4, // LOG_WARNING
        LogLevel.Information => 6, // LOG_INFO
        _ => 7, // LOG_DEBUG
    };

    /// <summary>One printable line: control characters (a CR/LF in a user name…) become spaces.</summary>
    public static string OneLine(string text)
    {
        Span<char> buffer = text.Length <= 1024 ? stackalloc char[text.Length] : new char[text.Length];
        for (var i = 0; i < text.Length; i++) buffer[i] = char.IsControl(text[i]) ? ' ' : text[i];
        return new string(buffer);
    }

    /// <summary>
    /// The message without the prefix Akka's log events carry ("[INFO][timestamp][Thread 0012][akka://…] "):
    /// syslog stamps time and pid itself, and the auth log reads in the seeds' words.
    /// </summary>
    public static string WithoutAkkaPrefix(string message)
    {
        var match = AkkaPrefix().Match(message);
        return match.Success ? message[match.Length..] : message;
    }

    [GeneratedRegex(@"^\[(DEBUG|INFO|WARNING|ERROR)\]\[[^\]]*\]\[Thread \d+\]\[[^\]]*\] ", RegexOptions.CultureInvariant)]
    private static partial Regex AkkaPrefix();

    private sealed class SyslogLogger(LogLevel minimum) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && logLevel >= minimum;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var message = WithoutAkkaPrefix(formatter(state, exception));
            if (exception is not null) message = $"{message} ({exception.GetType().Name}: {exception.Message})";
            if (message.Length == 0) return;
            SyslogNative.Syslog(LogAuthPriv | Priority(logLevel), "%s", OneLine(message));
        }
    }
}
