namespace OpenBastion.Host;

/// <summary>The daemon's command line.</summary>
public sealed record DaemonArguments
{
    /// <summary>--config PATH (else OB_CONFIG_FILE, else the default path; the loader decides).</summary>
    public string? ConfigFile { get; init; }

    /// <summary>--hocon PATH: a file overriding the embedded obactors.hocon.</summary>
    public string? HoconFile { get; init; }

    /// <summary>--print-config: print the effective configuration and exit.</summary>
    public bool PrintConfig { get; init; }

    /// <summary>--foreground: log to the terminal (stderr) too. The daemon never forks either way.</summary>
    public bool Foreground { get; init; }

    /// <summary>--syslog: log to syslog even when attached to a terminal.</summary>
    public bool Syslog { get; init; }

    public bool Help { get; init; }

    public const string Usage =
        """
        usage: obactors [--config PATH] [--hocon PATH] [--print-config] [--foreground] [--syslog]
               obactors admin COMMAND ...     (ob-cache-admin; see 'obactors admin --help')

          -c, --config PATH   openbastion.conf (default: $OB_CONFIG_FILE, else /etc/open-bastion/openbastion.conf)
              --hocon PATH    actor system settings overriding the embedded obactors.hocon
              --print-config  print the effective configuration (secrets redacted) and exit
          -F, --foreground    log to stderr as well (the daemon never forks)
              --syslog        log to syslog (authpriv) even on a terminal
          -h, --help          this text

        exit codes: 0 ok, 64 usage, 70 internal error, 73 cannot create socket or cache directory,
                    75 cache directory locked by another daemon, 78 configuration error
        """;

    /// <summary>Parses <paramref name="args"/>; throws <see cref="StartupException"/> (64) on a bad command line.</summary>
    public static DaemonArguments Parse(IReadOnlyList<string> args)
    {
        var options = new DaemonArguments();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? inlineValue = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 2)
            {
                inlineValue = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Count) throw new StartupException(ExitCodes.Usage, $"option '{arg}' needs a value");
                return args[++i];
            }

            void NoValue()
            {
                if (inlineValue is not null) throw new StartupException(ExitCodes.Usage, $"option '{arg}' takes no value");
            }

            switch (arg)
            {
                case "-c" or "--config": options = options with { ConfigFile = NonEmpty(arg, Value()) }; break;
                case "--hocon": options = options with { HoconFile = NonEmpty(arg, Value()) }; break;
                case "--print-config": NoValue(); options = options with { PrintConfig = true }; break;
                case "-F" or "--foreground": NoValue(); options = options with { Foreground = true }; break;
                case "--syslog": NoValue(); options = options with { Syslog = true }; break;
                case "-h" or "--help": NoValue(); options = options with { Help = true }; break;
                default: throw new StartupException(ExitCodes.Usage, $"unknown argument '{args[i]}'");
            }
        }
        return options;
    }

    private static string NonEmpty(string option, string value) =>
        value.Length > 0 ? value : throw new StartupException(ExitCodes.Usage, $"option '{option}' needs a non-empty value");
}
