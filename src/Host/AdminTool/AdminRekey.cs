using System.Security.Cryptography;
using System.Text;
using OpenBastion.Engine;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Crypto;
using OpenBastion.Host.Admin;

namespace OpenBastion.Host.AdminTool;

/// <summary>
/// <c>ob-cache-admin rekey [--from-key-file OLD]</c> (issue 10 item 4).
/// <para>
/// Plain form (rotation): the current key file is kept as <c>&lt;keyfile&gt;.old</c> (0600), 32 new random
/// bytes are written to the key file (atomically, 0600), then every entry is re-encrypted from the key in use
/// to the key derived from the new file — by the daemon when it runs (it cannot write /etc itself, so this
/// tool writes the key file first and then asks it), else here under the directory lock. The <c>.old</c> file
/// is removed once every entry is done; when the rekey fails it stays, for <c>rekey --from-key-file</c>.
/// </para>
/// <para>
/// Recovery form: entries that decrypt under the key derived from OLD (with this machine-id and salt) are
/// re-encrypted under the key material as configured now; the key file is not changed.
/// </para>
/// </summary>
public static class AdminRekey
{
    /// <summary>The request to send: the old key file's bytes in hex as its secret argument (empty: plain form).</summary>
    public static AdminRequest Request(string? fromKeyFile)
    {
        if (fromKeyFile is null) return new AdminRequest(AdminCommand.Rekey, [], new Secret([]));
        byte[] old;
        try
        {
            old = CacheRekey.ReadKeyFile(fromKeyFile);
        }
        catch (KeyMaterialException ex)
        {
            throw new AdminFailure(ExitCodes.Configuration, ex.Message);
        }
        var hex = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(old));
        try
        {
            return new AdminRequest(AdminCommand.Rekey, [], new Secret(hex));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(old);
            CryptographicOperations.ZeroMemory(hex);
        }
    }

    /// <summary>Plain form through the daemon: refuses a frozen cache, then writes the new key file.</summary>
    public static async Task BeginThroughDaemonAsync(IAdminExecutor daemon, EngineSettings settings, CancellationToken cancellationToken)
    {
        using var status = AdminRequest.Of(AdminCommand.Status);
        var reply = await daemon.ExecuteAsync(status, cancellationToken).ConfigureAwait(false);
        if (reply.Status == AdminStatus.Ok && AdminJson.Read<ConnectivityReport>(reply.Json).CacheKey is { State: "mismatch" } key)
            throw new AdminFailure(ExitCodes.Configuration,
                $"the offline cache is frozen ({key.Problem}); a plain rekey would re-encrypt nothing: use 'rekey --from-key-file OLD' or 'clear'");
        Rotate(settings);
    }

    /// <summary>Keeps the key file as .old and writes a new one.</summary>
    public static void Rotate(EngineSettings settings)
    {
        try
        {
            KeyFileRotation.Begin(settings.OfflineCacheKeyFile);
        }
        catch (KeyMaterialException ex)
        {
            throw new AdminFailure(ExitCodes.Configuration, ex.Message);
        }
    }

    /// <summary>After the reply to a plain rekey: .old removed when it succeeded, else kept and named.</summary>
    public static async Task FinishAsync(EngineSettings settings, AdminReply reply, AdminConsole console)
    {
        var old = KeyFileRotation.OldPath(settings.OfflineCacheKeyFile);
        if (reply.Status == AdminStatus.Ok)
        {
            KeyFileRotation.Complete(settings.OfflineCacheKeyFile);
            return;
        }
        if (File.Exists(old))
            await console.Error.WriteLineAsync(
                $"{AdminCli.Name}: the rekey did not complete; the previous key file is kept as {old}: " +
                $"run '{AdminCli.Name} rekey --from-key-file {old}' to bring the remaining entries over, then remove it").ConfigureAwait(false);
    }
}
