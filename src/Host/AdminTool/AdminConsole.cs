using System.Collections;
using System.Text;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// What the admin tool needs from its surroundings, injectable for tests: streams, whether stdin is
/// a terminal, the root check, the environment, the clock, and the uid the daemon must run as.
/// </summary>
public sealed class AdminConsole
{
    public required TextReader In { get; init; }
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public bool IsInputTerminal { get; init; }
    public Func<bool> IsRoot { get; init; } = () => global::System.Environment.IsPrivilegedProcess;
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = ProcessEnvironment();
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>The uid that must own the daemon's socket and run the daemon (root).</summary>
    public uint DaemonUid { get; init; }
    /// <summary>
    /// Standard input as bytes: where <c>--password-stdin</c> (or a password piped without a terminal) is
    /// read from, into a byte buffer rather than a string (<see cref="SecretLine"/>).
    /// </summary>
    public Stream? InputBytes { get; init; }

    /// <summary>Reads a password without echo after showing the prompt; null when the input ends.</summary>
    public Func<string, char[]?> ReadHidden { get; init; } = ReadHiddenFromTerminal;

    public static AdminConsole System() => new()
    {
        In = Console.In,
        InputBytes = Console.OpenStandardInput(),
        Out = Console.Out,
        Error = Console.Error,
        IsInputTerminal = !Console.IsInputRedirected,
    };

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry e in global::System.Environment.GetEnvironmentVariables())
            result[(string)e.Key] = e.Value as string;
        return result;
    }

    /// <summary>Console.ReadKey without echo (intercept): Enter ends, Backspace erases, Ctrl-C / Ctrl-D abort.</summary>
    private static char[]? ReadHiddenFromTerminal(string prompt)
    {
        Console.Error.Write(prompt);
        var buffer = new StringBuilder();
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter) break;
                if (key.Key == ConsoleKey.Backspace)
                {
                    if (buffer.Length > 0) buffer.Length--;
                    continue;
                }
                if (key.Modifiers.HasFlag(ConsoleModifiers.Control) && key.Key is ConsoleKey.C or ConsoleKey.D) return null;
                if (key.KeyChar != '\0') buffer.Append(key.KeyChar);
            }
            var chars = new char[buffer.Length];
            buffer.CopyTo(0, chars, buffer.Length);
            return chars;
        }
        finally
        {
            Console.Error.WriteLine();
            for (var i = 0; i < buffer.Length; i++) buffer[i] = '\0';
        }
    }
}
