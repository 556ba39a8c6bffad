using OpenBastion.Wire;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>The command line of <c>ob-cache-admin</c> (<c>obactors admin …</c>).</summary>
public sealed record AdminArguments
{
    public AdminCommand? Command { get; init; }
    /// <summary>The command as typed (for messages).</summary>
    public string CommandName { get; init; } = "";
    public string? User { get; init; }
    public string? ConfigFile { get; init; }
    public string? CacheDir { get; init; }
    public bool Quiet { get; init; }
    public bool Yes { get; init; }
    public bool PasswordFromStdin { get; init; }
    /// <summary>rekey: the old key file (recovery form).</summary>
    public string? FromKeyFile { get; init; }
    public bool Help { get; init; }

    public const string Usage =
        """
        usage: ob-cache-admin [-c FILE] [-d DIR] [-q] COMMAND [ARGS]

        Administration of the Open Bastion offline credential cache. Goes through the obactors daemon
        when it runs; otherwise works on the cache files directly, holding the cache directory's lock.

        commands:
          list                    one line per entry: user, status (ACTIVE, LOCKED, EXPIRED, UNREADABLE),
                                  expiry, failed attempts, lock remaining; then the totals
          stats                   cache directory, entry counts, disk usage, oldest/newest entry, and the
                                  daemon's counters and connectivity when it runs
          show USER               USER's entry: created, expires, last success, failures, lock, gecos,
                                  shell, home (never the verifier)
          invalidate USER         remove USER's entry (alias: clear-user)
          invalidate-all          remove every entry, and the salt file when the daemon is stopped
                                  (alias: clear); asks for "yes" on a terminal, else needs --yes
          unlock USER             reset USER's offline lockout and failed attempts
          expire                  remove expired entries now
          cleanup                 remove expired entries, orphaned temporary and empty files, set unreadable entries aside
          config                  the effective configuration with the source of each value (secrets masked)
          status                  LLNG connectivity as the daemon sees it (online/offline/unknown, last probe)  [daemon]
          offline                 force the offline state (no LLNG request until released)                   [daemon]
          online [--clear]        force the online state; with --clear (or the command 'auto') release any
                                  forced state and let probes decide                                          [daemon]
          rekey                   rotate the cache key: keep the key file as <keyfile>.old, write a new one, re-encrypt
                                  every entry under it (no re-login), then remove the .old file
          rekey --from-key-file OLD
                                  recovery after a key change: re-encrypt the entries that decrypt under the key of
                                  OLD into the current key material; entries that decrypt under neither are left
          auth USER               a test authentication through the daemon; the password is read without
                                  echo from the terminal, or as one line from stdin (--password-stdin)       [daemon]

        options:
          -c, --config FILE       openbastion.conf (default: $OB_CONFIG_FILE, else /etc/open-bastion/openbastion.conf)
          -d, --cache-dir DIR     the cache directory (default: $OB_CACHE_DIR, else offline_cache_dir); a directory
                                  other than the daemon's is always worked on directly
          -q, --quiet             script-friendly output (list: tab-separated rows, no header or totals)
          -y, --yes               confirm invalidate-all without a question
              --password-stdin    auth: read the password from stdin even on a terminal
          -h, --help              this text

        exit codes:
          0   done
          1   no such entry, or a negative answer (authentication refused, confirmation not given)
          2   bad command line or argument
          69  the command needs the obactors daemon and it does not run (or did not answer)
          70  internal error
          74  missing cache directory, unreadable entry, or cache I/O error
          75  the cache directory is locked by a process whose socket does not answer
          76  the daemon's answer could not be understood
          77  not run as root
          78  invalid configuration or cache key material
        """;

    private static readonly Dictionary<string, AdminCommand> Commands = new(StringComparer.Ordinal)
    {
        ["list"] = AdminCommand.List,
        ["stats"] = AdminCommand.Stats,
        ["show"] = AdminCommand.Show,
        ["invalidate"] = AdminCommand.Invalidate,
        ["clear-user"] = AdminCommand.Invalidate,
        ["invalidate-all"] = AdminCommand.InvalidateAll,
        ["clear"] = AdminCommand.InvalidateAll,
        ["unlock"] = AdminCommand.Unlock,
        ["expire"] = AdminCommand.Expire,
        ["cleanup"] = AdminCommand.Cleanup,
        ["config"] = AdminCommand.Config,
        ["status"] = AdminCommand.Status,
        ["offline"] = AdminCommand.ForceOffline,
        ["online"] = AdminCommand.ForceOnline,
        ["auto"] = AdminCommand.ClearForce,
        ["auth"] = AdminCommand.Auth,
        ["rekey"] = AdminCommand.Rekey,
    };

    /// <summary>Parses <paramref name="args"/>; a bad command line throws <see cref="AdminFailure"/> (exit 2).</summary>
    public static AdminArguments Parse(IReadOnlyList<string> args)
    {
        var result = new AdminArguments();
        var positional = new List<string>();
        var clear = false;
        var onlyPositional = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (onlyPositional || arg == "-" || !arg.StartsWith('-'))
            {
                positional.Add(arg);
                continue;
            }
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=') is var eq and > 2)
            {
                inline = arg[(eq + 1)..];
                arg = arg[..eq];
            }

            string Value()
            {
                var value = inline ?? (i + 1 < args.Count ? args[++i] : throw Bad($"option '{arg}' needs a value"));
                return value.Length > 0 ? value : throw Bad($"option '{arg}' needs a non-empty value");
            }

            void NoValue()
            {
                if (inline is not null) throw Bad($"option '{arg}' takes no value");
            }

            switch (arg)
            {
                case "--": NoValue(); onlyPositional = true; break;
                case "-c" or "--config": result = result with { ConfigFile = Value() }; break;
                case "-d" or "--cache-dir": result = result with { CacheDir = Value() }; break;
                case "-q" or "--quiet": NoValue(); result = result with { Quiet = true }; break;
                case "-y" or "--yes": NoValue(); result = result with { Yes = true }; break;
                case "--password-stdin": NoValue(); result = result with { PasswordFromStdin = true }; break;
                case "--from-key-file": result = result with { FromKeyFile = Value() }; break;
                case "--clear": NoValue(); clear = true; break;
                case "-h" or "--help": NoValue(); result = result with { Help = true }; break;
                default: throw Bad($"unknown option '{args[i]}'");
            }
        }
        if (result.Help) return result;
        if (positional.Count == 0) throw Bad("no command given");

        var name = positional[0];
        if (!Commands.TryGetValue(name, out var command)) throw Bad($"unknown command '{name}'");
        if (command == AdminCommand.ForceOnline && positional.Count == 2 && positional[1] == "auto")
        {
            positional.RemoveAt(1);
            clear = true;
        }
        if (clear)
        {
            if (command != AdminCommand.ForceOnline) throw Bad("--clear goes with 'online' only");
            command = AdminCommand.ClearForce;
        }
        if (result.Yes && command != AdminCommand.InvalidateAll) throw Bad($"--yes goes with 'invalidate-all' only");
        if (result.PasswordFromStdin && command != AdminCommand.Auth) throw Bad("--password-stdin goes with 'auth' only");
        if (result.FromKeyFile is not null && command != AdminCommand.Rekey) throw Bad("--from-key-file goes with 'rekey' only");

        var wantsUser = command is AdminCommand.Show or AdminCommand.Invalidate or AdminCommand.Unlock or AdminCommand.Auth;
        var expected = wantsUser ? 2 : 1;
        if (positional.Count < expected) throw Bad($"'{name}' needs a user name");
        if (positional.Count > expected) throw Bad($"'{name}' takes {(wantsUser ? "one user name" : "no argument")}, got '{positional[expected]}'");
        return result with { Command = command, CommandName = name, User = wantsUser ? positional[1] : null };
    }

    /// <summary>Commands that only the daemon can serve.</summary>
    public static bool NeedsDaemon(AdminCommand command) =>
        command is AdminCommand.Status or AdminCommand.ForceOffline or AdminCommand.ForceOnline or AdminCommand.ClearForce or AdminCommand.Auth;

    private static AdminFailure Bad(string message) => new(AdminExitCodes.Usage, message);
}
