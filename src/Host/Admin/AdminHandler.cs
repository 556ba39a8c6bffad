using Akka.Actor;
using Microsoft.Extensions.Logging;
using OpenBastion.Actors.Protocol;
using OpenBastion.Engine;
using OpenBastion.Wire;
using OpenBastion.Engine.Cache;
using OpenBastion.Engine.Configuration;
using OpenBastion.Engine.Maintenance;
using OpenBastion.Engine.Policy;
using OpenBastion.Host.Bridge;
using OpenBastion.Host.Metrics;
using OpenBastion.Host.Native;

namespace OpenBastion.Host.Admin;

/// <summary>The actors an admin request reaches, and how long to wait for them.</summary>
public sealed record AdminActors(IActorRef Users, IActorRef Connectivity, IActorRef Janitor, TimeSpan AskTimeout, TimeSpan SweepTimeout);

/// <summary>Serves an ADMIN_REQUEST frame on a bridge connection (the listener calls it).</summary>
public interface IAdminFrameHandler
{
    /// <summary>Answers <paramref name="frame"/> from <paramref name="peer"/> on <paramref name="stream"/>; never throws for a request's failure.</summary>
    Task ServeAsync(Stream stream, AdminFrame frame, PeerCredentials peer, CancellationToken cancellationToken);
}

/// <summary>
/// The daemon's side of ob-cache-admin: maps admin requests to the actors' messages. Per-user
/// changes go to the user registry, which routes them to the user's actor, so they are served
/// between that user's authentications and never race one; invalidate-all, expire and cleanup go
/// through the janitor, which asks each key's owner. <c>list</c> and <c>stats</c> only read the files
/// (writes are atomic renames). Only root (uid <see cref="AdminUid"/>) may send admin frames.
/// </summary>
public sealed class AdminHandler(
    Func<Task<AdminActors>> actors,
    ICredentialStore store,
    EngineSettings settings,
    TimeProvider time,
    ILogger<AdminHandler> logger,
    AdminCounters? counters = null,
    DaemonMetrics? metrics = null) : IAdminExecutor, IAdminFrameHandler
{
    private readonly ExpiryPolicy _expiry = ExpiryPolicy.From(settings);

    /// <summary>The only peer uid allowed to send admin frames (root; tests may use their own).</summary>
    public uint AdminUid { get; init; }

    /// <summary>The daemon's runtime: key check state for status/stats, and rekey. Null: neither is served.</summary>
    public Hosting.DaemonRuntime? Runtime { get; init; }

    private CacheKeyReport? KeyReport() => Runtime?.Guard switch
    {
        null => null,
        { Frozen: true } g => new CacheKeyReport("mismatch", g.Reason),
        { State: CacheKeyState.Ok } => new CacheKeyReport("ok", null),
        _ => new CacheKeyReport("unchecked", null),
    };

    public async Task ServeAsync(Stream stream, AdminFrame frame, PeerCredentials peer, CancellationToken cancellationToken)
    {
        using var write = new CancellationTokenSource(BridgeProtocol.FrameTimeout, time);
        if (peer.Uid != AdminUid)
        {
            logger.LogWarning("refused admin request from uid {Uid} pid {Pid}: admin requests are for root only", peer.Uid, peer.Pid);
            await FrameWriter.WriteAsync(stream, new ErrorFrame(BridgeErrorCode.Forbidden, "admin requests are for root only"), write.Token).ConfigureAwait(false);
            return;
        }
        using var request = AdminCodec.DecodeRequest(frame);
        if (request is null)
        {
            logger.LogInformation("malformed admin request from pid {Pid}, connection closed", peer.Pid);
            await FrameWriter.WriteAsync(stream, new ErrorFrame(BridgeErrorCode.Malformed, "malformed admin request"), write.Token).ConfigureAwait(false);
            return;
        }

        // A user name is logged only once it passed the checks (no control characters in the log).
        logger.LogInformation("admin request {Command} {User} from pid {Pid}", request.Command,
            AdminUsers.Check(request) is null ? request.User : "(invalid)", peer.Pid);
        AdminReply reply;
        try
        {
            reply = await ExecuteAsync(request with { Operator = $"ob-cache-admin (pid {peer.Pid})" }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogError("admin request {Command} failed ({Error}: {Message})", request.Command, ex.GetType().Name, ex.Message);
            reply = AdminReply.Error(AdminStatus.Failed, $"internal error ({ex.GetType().Name})");
        }
        foreach (var response in AdminCodec.EncodeResponse(reply.Status, reply.Json))
        {
            using var each = new CancellationTokenSource(BridgeProtocol.FrameTimeout, time);
            await FrameWriter.WriteAsync(stream, response, each.Token).ConfigureAwait(false);
        }
    }

    public async Task<AdminReply> ExecuteAsync(AdminRequest request, CancellationToken cancellationToken)
    {
        if (AdminUsers.Check(request) is { } bad) return bad;
        var now = time.GetUtcNow();
        AdminActors refs;
        try
        {
            refs = await actors().WaitAsync(TimeSpan.FromSeconds(30), time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return AdminReply.Error(AdminStatus.Unavailable, "the daemon's actors are not started yet");
        }

        try
        {
            switch (request.Command)
            {
                case AdminCommand.List:
                    return AdminReply.Ok(EntryClassifier.Survey(store, _expiry, now));
                case AdminCommand.Stats:
                    var connectivity = await refs.Connectivity.Ask<ConnectivityStatus>(GetConnectivity.Instance, refs.AskTimeout).ConfigureAwait(false);
                    return AdminReply.Ok(EntryClassifier.Stats(store, _expiry, now, new DaemonFigures(
                        Report(connectivity),
                        counters?.AuthRequests ?? 0, counters?.OfflineAuths ?? 0, counters?.OfflineSuccesses ?? 0,
                        counters?.Lockouts ?? 0, counters?.ExpiredRemoved ?? 0)) with { CacheKey = KeyReport() });
                case AdminCommand.Config:
                    return AdminReply.Ok(new ConfigReport(settings.ConfigFile, SettingsLoader.Describe(settings)));
                case AdminCommand.Show:
                    return await refs.Users.Ask<object>(new Inspect(request.User), refs.AskTimeout).ConfigureAwait(false) switch
                    {
                        EntryDescription entry => AdminOutcomes.Show(request.User, entry),
                        var other => Failed(other),
                    };
                case AdminCommand.Invalidate:
                    return await refs.Users.Ask<object>(new Invalidate(request.User), refs.AskTimeout).ConfigureAwait(false) switch
                    {
                        InvalidateOutcome outcome => AdminOutcomes.Invalidate(request.User, outcome),
                        var other => Failed(other),
                    };
                case AdminCommand.Unlock:
                    return await refs.Users.Ask<object>(new Unlock(request.User), refs.AskTimeout).ConfigureAwait(false) switch
                    {
                        UnlockOutcome outcome => AdminOutcomes.Unlock(request.User, outcome),
                        var other => Failed(other),
                    };
                case AdminCommand.InvalidateAll:
                    var cleared = await refs.Users.Ask<object>(InvalidateAll.Instance, refs.SweepTimeout).ConfigureAwait(false);
                    if (cleared is InvalidateAllResult && Runtime is { Guard.Frozen: true } frozen)
                    {
                        // clear is a recovery command: the empty cache is now under the key in use.
                        frozen.ResetKeyCheck();
                        logger.LogWarning("offline cache cleared while frozen: key-check marker rewritten for the key in use, cache usable again");
                    }
                    return cleared switch
                    {
                        InvalidateAllResult r => AdminReply.Ok(new ActionReport(
                            $"{r.Removed} cache entries removed; the salt file {Engine.Crypto.CacheKeyDerivation.SaltFileName} is kept while obactors runs " +
                            "(it holds the key derived from it): stop obactors and run 'clear' again to rotate it", r.Removed)),
                        var other => Failed(other),
                    };
                case AdminCommand.Expire or AdminCommand.Cleanup when Runtime is { Guard.Frozen: true } frozenRuntime:
                    return AdminOutcomes.Frozen(frozenRuntime.Guard.Reason ?? "");
                case AdminCommand.Rekey:
                    return await RekeyAsync(request).ConfigureAwait(false);
                case AdminCommand.Expire or AdminCommand.Cleanup:
                    var kind = request.Command == AdminCommand.Expire ? SweepKind.Expire : SweepKind.Cleanup;
                    var sweep = await refs.Janitor.Ask<SweepReport>(new SweepNow(kind), refs.SweepTimeout).ConfigureAwait(false);
                    return AdminReply.Ok(new SweepResult(sweep.Scanned, sweep.ExpiredRemoved, sweep.OrphanTempsRemoved, sweep.EmptyRemoved, sweep.Quarantined));
                case AdminCommand.Status:
                    return AdminReply.Ok(Report(await refs.Connectivity.Ask<ConnectivityStatus>(GetConnectivity.Instance, refs.AskTimeout).ConfigureAwait(false)));
                case AdminCommand.ForceOffline:
                    return await Force(refs, new ForceOffline(request.Operator)).ConfigureAwait(false);
                case AdminCommand.ForceOnline:
                    return await Force(refs, new ForceOnline(request.Operator)).ConfigureAwait(false);
                case AdminCommand.ClearForce:
                    return await Force(refs, ClearForce.Instance).ConfigureAwait(false);
                case AdminCommand.Auth:
                    return await Authenticate(refs, request).ConfigureAwait(false);
                default:
                    return AdminReply.Error(AdminStatus.BadRequest, $"unknown command {request.Command}");
            }
        }
        catch (Exception ex) when (ex is AskTimeoutException or TimeoutException)
        {
            return AdminReply.Error(AdminStatus.Unavailable, "the daemon's actors did not answer in time");
        }
    }

    private async Task<AdminReply> RekeyAsync(AdminRequest request)
    {
        if (Runtime is not { } runtime) return AdminReply.Error(AdminStatus.Unavailable, "this daemon does not serve rekey");
        if (AdminOutcomes.OldKeyFile(request, out var refusal) is not { } oldKeyFile) return refusal!;
        try
        {
            if (oldKeyFile.Length == 0 && runtime.Guard.Frozen) return AdminOutcomes.FrozenPlainRekey(runtime.Guard.Reason);
            // Off the actor threads; the store's key lock holds every login's cache access until it is done.
            var report = await Task.Run(() => runtime.Rekey(oldKeyFile)).ConfigureAwait(false);
            logger.LogWarning("offline cache rekeyed by {Operator}: {Rekeyed} re-encrypted, {Current} already current, {Undecryptable} undecryptable (left untouched), {Failed} failed",
                request.Operator, report.Rekeyed, report.AlreadyCurrent, report.Undecryptable.Count, report.Failed.Count);
            return AdminOutcomes.Rekey(report);
        }
        catch (Engine.Crypto.KeyMaterialException ex)
        {
            return AdminReply.Error(AdminStatus.Failed, $"key material: {ex.Message}");
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(oldKeyFile);
        }
    }

    private async Task<AdminReply> Force(AdminActors refs, object message)
    {
        var status = await refs.Connectivity.Ask<ConnectivityStatus>(message, refs.AskTimeout).ConfigureAwait(false);
        logger.LogWarning("connectivity {Action} by operator: now {State}", message.GetType().Name, status.State);
        return AdminReply.Ok(Report(status));
    }

    private async Task<AdminReply> Authenticate(AdminActors refs, AdminRequest request)
    {
        // The request's copy of the password is zeroed when the request is disposed; the actors copy what they keep.
        using var password = new Secret(request.Password is { } given ? given.Utf8 : default);
        var timeout = settings.OfflineTimeout + refs.AskTimeout;
        var login = new Authenticate(request.User, password, "ob-cache-admin", null, null, true, time.GetUtcNow() + timeout);
        AuthResult result;
        try
        {
            result = await refs.Users.Ask<AuthResult>(login, timeout + TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AskTimeoutException or TimeoutException)
        {
            result = new AuthResult.Unavailable(UnavailableReason.TimedOut);
        }
        metrics?.Authenticated(result);
        logger.LogInformation("admin test authentication for user '{User}': {Result}", request.User, result.GetType().Name);
        var frame = AuthResponseMapper.ToFrame(result);
        var report = new AuthReport(frame.Status.ToString(), frame.Offline, frame.Seconds, frame.Message,
            NullIfEmpty(frame.Gecos), NullIfEmpty(frame.Shell), NullIfEmpty(frame.Home));
        return new AdminReply(result is AuthResult.Success ? AdminStatus.Ok : AdminStatus.NotFound, AdminJson.Write(report));
    }

    private static AdminReply Failed(object answer) => answer switch
    {
        AdminFailed f => AdminReply.Error(AdminStatus.Failed, $"the daemon could not do it: {f.Reason}"),
        _ => AdminReply.Error(AdminStatus.Failed, $"unexpected answer from the actors ({answer.GetType().Name})"),
    };

    private ConnectivityReport Report(ConnectivityStatus s) =>
        new(s.State.ToString().ToLowerInvariant(), s.ForcedBy, s.Since.ToUnixTimeSeconds(), s.LastProbe?.ToUnixTimeSeconds(), s.LastProbeSucceeded, KeyReport());

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
