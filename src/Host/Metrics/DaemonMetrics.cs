using System.Diagnostics.Metrics;
using OpenBastion.Actors.Protocol;
using OpenBastion.Wire;

namespace OpenBastion.Host.Metrics;

/// <summary>
/// The daemon's instruments (DESIGN §3.10), on the Meter "OpenBastion.Actors": read them with
/// <c>dotnet-counters monitor -n obactors --counters OpenBastion.Actors</c> or any MeterListener.
/// Authentication outcomes are counted at the bridge from the actors' replies, so every request is
/// counted exactly once, whichever actor answered it.
/// </summary>
public sealed class DaemonMetrics
{
    public const string MeterName = "OpenBastion.Actors";

    /// <summary>The instruments read back in-process by <c>stats</c> (Admin/AdminCounters): named here only.</summary>
    public const string AuthRequestsInstrument = "obactors.auth.requests";
    public const string OfflineAuthsInstrument = "obactors.auth.offline";
    public const string LockoutsInstrument = "obactors.auth.locked";
    public const string ExpiredRemovedInstrument = "obactors.cache.expired_removed";

    private readonly Counter<long> _authRequests;
    private readonly Counter<long> _offlineAuths;
    private readonly Counter<long> _lockouts;
    private readonly Counter<long> _expiredRemoved;
    private readonly Counter<long> _protocolErrors;
    private readonly Counter<long> _refusedPeers;
    private int _connectivity = -1;
    private Func<long?> _cacheSize = () => null;

    public DaemonMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _authRequests = meter.CreateCounter<long>(AuthRequestsInstrument, "{request}", "Authentication requests answered, by outcome");
        _offlineAuths = meter.CreateCounter<long>(OfflineAuthsInstrument, "{request}", "Authentications decided against the offline cache, by outcome");
        _lockouts = meter.CreateCounter<long>(LockoutsInstrument, "{request}", "Requests refused because the account is locked (offline)");
        _expiredRemoved = meter.CreateCounter<long>(ExpiredRemovedInstrument, "{entry}", "Cache entries removed because they expired");
        _protocolErrors = meter.CreateCounter<long>("obactors.bridge.protocol_errors", "{error}", "Bridge connections closed on a protocol error, by code");
        _refusedPeers = meter.CreateCounter<long>("obactors.bridge.refused_peers", "{connection}", "Bridge connections refused (peer uid not allowed, or over the connection bound)");
        meter.CreateObservableGauge("obactors.connectivity.online", ObserveConnectivity, "{state}", "1 when LLNG is reachable, 0 when offline");
        meter.CreateObservableGauge("obactors.cache.entries", ObserveCacheSize, "{entry}", "Cached credential entries");
    }

    /// <summary>Counts one answered request.</summary>
    public void Authenticated(AuthResult result)
    {
        var (outcome, offline) = result switch
        {
            AuthResult.Success s => ("success", s.Path == AuthPath.Offline),
            AuthResult.WrongPassword w => ("wrong_password", w.Path == AuthPath.Offline),
            AuthResult.Locked => ("locked", true),
            AuthResult.Unavailable { Reason: UnavailableReason.NotCached } => ("not_cached", true),
            AuthResult.Unavailable { Reason: UnavailableReason.Expired } => ("expired", true),
            AuthResult.Unavailable { Reason: UnavailableReason.TimedOut } => ("timed_out", false),
            AuthResult.Unavailable => ("unavailable", false),
            AuthResult.Busy => ("busy", false),
            _ => ("error", false),
        };
        _authRequests.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (offline) _offlineAuths.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (result is AuthResult.Locked) _lockouts.Add(1);
        if (result is AuthResult.Unavailable { Reason: UnavailableReason.Expired }) _expiredRemoved.Add(1);
    }

    /// <summary>Expired entries removed by the janitor's sweep.</summary>
    public void ExpiredRemoved(long count) => _expiredRemoved.Add(count);

    public void ProtocolError(BridgeErrorCode code) =>
        _protocolErrors.Add(1, new KeyValuePair<string, object?>("code", code.ToString()));

    public void PeerRefused(string reason) =>
        _refusedPeers.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>The connectivity actor's latest verdict.</summary>
    public void Connectivity(bool online) => Volatile.Write(ref _connectivity, online ? 1 : 0);

    /// <summary>Where the cache size gauge reads from (evaluated only when a listener collects).</summary>
    public void ObserveCacheSizeWith(Func<long?> cacheSize) => _cacheSize = cacheSize;

    private IEnumerable<Measurement<int>> ObserveConnectivity()
    {
        var state = Volatile.Read(ref _connectivity);
        return state < 0 ? [] : [new Measurement<int>(state)];
    }

    private IEnumerable<Measurement<long>> ObserveCacheSize()
    {
        long? size;
        try
        {
            size = _cacheSize();
        }
        catch (IOException)
        {
            size = null;
        }
        return size is { } n ? [new Measurement<long>(n)] : [];
    }
}
