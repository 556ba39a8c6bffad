using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenBastion.Engine;
using OpenBastion.Wire;
using OpenBastion.Engine.Configuration;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// <c>ob-cache-admin</c> (installed as a wrapper for <c>obactors admin</c>): parses the command line,
/// checks root, loads the configuration, then serves the command through the running daemon, or
/// directly on the cache files under the directory lock when it does not run. Every failure is one
/// line on stderr and an exit code (<see cref="AdminExitCodes"/>), never a stack trace.
/// </summary>
public static class AdminCli
{
    public const string Name = "ob-cache-admin";

    public static Task<int> RunAsync(IReadOnlyList<string> args) => RunAsync(args, AdminConsole.System());

    public static async Task<int> RunAsync(IReadOnlyList<string> args, AdminConsole console, CancellationToken cancellationToken = default)
    {
        try
        {
            return await RunCoreAsync(args, console, cancellationToken).ConfigureAwait(false);
        }
        catch (AdminFailure failure)
        {
            await console.Error.WriteLineAsync($"{Name}: {failure.Message}").ConfigureAwait(false);
            if (failure.ExitCode == AdminExitCodes.Usage) await console.Error.WriteLineAsync($"Try '{Name} --help'.").ConfigureAwait(false);
            return failure.ExitCode;
        }
        catch (ConfigurationException ex)
        {
            foreach (var line in ex.Errors) await console.Error.WriteLineAsync($"{Name}: configuration error: {line}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Messages of the engine's exceptions name files and keys, never secrets.
            await console.Error.WriteLineAsync($"{Name}: internal error: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}").ConfigureAwait(false);
            return ExitCodes.Internal;
        }
    }

    private static async Task<int> RunCoreAsync(IReadOnlyList<string> args, AdminConsole console, CancellationToken cancellationToken)
    {
        var arguments = AdminArguments.Parse(args);
        if (arguments.Help)
        {
            await console.Out.WriteLineAsync(AdminArguments.Usage).ConfigureAwait(false);
            return ExitCodes.Ok;
        }
        if (!console.IsRoot())
            throw new AdminFailure(ExitCodes.NotRoot, "must be run as root (the cache and the daemon's socket belong to root)");

        var configured = SettingsLoader.Load(arguments.ConfigFile, console.Environment);
        var settings = configured;
        if (arguments.CacheDir is { } dir)
        {
            var environment = new Dictionary<string, string?>(console.Environment) { [ConfigKeys.CacheDirVariable] = dir };
            settings = SettingsLoader.Load(arguments.ConfigFile, environment);
        }
        var command = arguments.Command!.Value;

        if (command == AdminCommand.InvalidateAll && !arguments.Yes) await ConfirmAsync(console, settings).ConfigureAwait(false);

        // A directory other than the configured one is not the daemon's: always worked on directly.
        var otherDirectory = Path.GetFullPath(settings.OfflineCacheDir) != Path.GetFullPath(configured.OfflineCacheDir);
        var daemon = new DaemonAdminClient(settings.SocketPath, console.DaemonUid);
        IAdminExecutor executor;
        DirectAdmin? direct = null;
        if (!otherDirectory && daemon.IsRunning())
        {
            executor = daemon;
        }
        else if (AdminArguments.NeedsDaemon(command))
        {
            throw new AdminFailure(ExitCodes.Unavailable,
                $"'{arguments.CommandName}' needs the obactors daemon, which is not running (nothing answers on {settings.SocketPath})");
        }
        else
        {
            direct = command == AdminCommand.Config ? DirectAdmin.ConfigOnly(settings, console.Time) : DirectAdmin.Open(settings, console.Time);
            executor = direct;
        }

        using (direct)
        {
            var rotation = command == AdminCommand.Rekey && arguments.FromKeyFile is null && direct is null;
            if (rotation) await AdminRekey.BeginThroughDaemonAsync(executor, settings, cancellationToken).ConfigureAwait(false);
            using var request = BuildRequest(arguments, command, console);
            AdminReply reply;
            try
            {
                reply = await executor.ExecuteAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (AdminFailure failure) when (rotation)
            {
                // The new key file is written but the daemon did not answer: say where the old one is.
                await AdminRekey.FinishAsync(settings, AdminReply.Error(AdminStatus.Failed, failure.Message), console).ConfigureAwait(false);
                throw;
            }
            if (rotation) await AdminRekey.FinishAsync(settings, reply, console).ConfigureAwait(false);
            return await RenderAsync(command, arguments, reply, console, direct is not null).ConfigureAwait(false);
        }
    }

    private static AdminRequest BuildRequest(AdminArguments arguments, AdminCommand command, AdminConsole console)
    {
        if (command == AdminCommand.Rekey) return AdminRekey.Request(arguments.FromKeyFile);
        if (command != AdminCommand.Auth)
            return new AdminRequest(command, arguments.User is null ? [] : [arguments.User]);

        byte[]? bytes;
        if (console.IsInputTerminal && !arguments.PasswordFromStdin)
        {
            var chars = console.ReadHidden($"Password for {arguments.User}: ");
            if (chars is null) throw new AdminFailure(AdminExitCodes.Usage, "no password given");
            bytes = Encoding.UTF8.GetBytes(chars);
            Array.Clear(chars);
        }
        else
        {
            // --password-stdin (or no terminal): bytes straight from stdin, never a string.
            var input = console.InputBytes ?? throw new AdminFailure(AdminExitCodes.Usage, "no standard input to read the password from");
            bytes = SecretLine.Read(input, BridgeProtocol.MaxPassword);
            if (bytes is null) throw new AdminFailure(AdminExitCodes.Usage, "no password given");
        }
        try
        {
            if (bytes.Length > BridgeProtocol.MaxPassword)
                throw new AdminFailure(AdminExitCodes.Usage, $"the password is longer than {BridgeProtocol.MaxPassword} bytes");
            return new AdminRequest(command, [arguments.User!], new Secret(bytes));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    private static async Task ConfirmAsync(AdminConsole console, EngineSettings settings)
    {
        if (!console.IsInputTerminal)
            throw new AdminFailure(AdminExitCodes.NotFound, "invalidate-all removes every cached credential: run it on a terminal to confirm, or add --yes; nothing removed");
        await console.Error.WriteAsync(
            $"This removes every cached credential in {settings.OfflineCacheDir}: users cannot log in offline until they log in online again.\n" +
            "Type 'yes' to continue: ").ConfigureAwait(false);
        var answer = await console.In.ReadLineAsync().ConfigureAwait(false);
        if (answer?.Trim() != "yes") throw new AdminFailure(AdminExitCodes.NotFound, "not confirmed; nothing removed");
    }

    private static async Task<int> RenderAsync(AdminCommand command, AdminArguments arguments, AdminReply reply, AdminConsole console, bool direct)
    {
        string text;
        try
        {
            if (reply.Status != AdminStatus.Ok && !(command == AdminCommand.Auth && reply.Status == AdminStatus.NotFound))
            {
                var error = AdminJson.Read<ErrorReport>(reply.Json);
                await console.Error.WriteLineAsync($"{Name}: {error.Error}").ConfigureAwait(false);
                return AdminExitCodes.Of(reply.Status);
            }
            text = AdminRenderer.Render(command, reply.Json, arguments.Quiet, console.Time.GetUtcNow(), direct);
        }
        catch (JsonException)
        {
            throw new AdminFailure(ExitCodes.Protocol, "the answer could not be understood (is obactors the same version as this tool?)");
        }
        if (text.Length > 0) await console.Out.WriteAsync(text).ConfigureAwait(false);
        return AdminExitCodes.Of(reply.Status);
    }
}
