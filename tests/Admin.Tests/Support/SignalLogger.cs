using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenBastion.Admin.Tests.Support;

/// <summary>Captures log lines and lets a test await the first line containing some text.</summary>
internal sealed class SignalLogger : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly ConcurrentBag<(string Text, TaskCompletionSource Signal)> _waiters = new();

    public IReadOnlyCollection<string> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public Task WhenLogged(string text)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiters.Add((text, signal));
        if (_lines.Any(l => l.Contains(text, StringComparison.Ordinal))) signal.TrySetResult();
        return signal.Task;
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        foreach (var (text, signal) in _waiters)
            if (line.Contains(text, StringComparison.Ordinal)) signal.TrySetResult();
    }

    public void Dispose()
    {
    }

    private sealed class Logger(SignalLogger owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(formatter(state, exception));
    }
}
