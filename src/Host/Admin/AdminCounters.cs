using System.Diagnostics.Metrics;
using OpenBastion.Host.Metrics;

namespace OpenBastion.Host.Admin;

/// <summary>
/// Totals of the daemon's counters (DaemonMetrics' instruments on the meter of one
/// <see cref="IMeterFactory"/>) since start, for <c>stats</c>. Listens in-process with a
/// <see cref="MeterListener"/>; only meters made by the given factory are counted, so two daemons in
/// one process (tests) never mix their figures.
/// </summary>
public sealed class AdminCounters : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _scope;
    private long _requests;
    private long _offline;
    private long _offlineSuccess;
    private long _lockouts;
    private long _expired;

    public AdminCounters(IMeterFactory meterFactory)
    {
        _scope = meterFactory;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == DaemonMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, _scope))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public long AuthRequests => Interlocked.Read(ref _requests);
    public long OfflineAuths => Interlocked.Read(ref _offline);
    public long OfflineSuccesses => Interlocked.Read(ref _offlineSuccess);
    public long Lockouts => Interlocked.Read(ref _lockouts);
    public long ExpiredRemoved => Interlocked.Read(ref _expired);

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        switch (instrument.Name)
        {
            case DaemonMetrics.AuthRequestsInstrument:
                Interlocked.Add(ref _requests, value);
                break;
            case DaemonMetrics.OfflineAuthsInstrument:
                Interlocked.Add(ref _offline, value);
                foreach (var tag in tags)
                    if (tag.Key == "outcome" && tag.Value as string == "success") Interlocked.Add(ref _offlineSuccess, value);
                break;
            case DaemonMetrics.LockoutsInstrument:
                Interlocked.Add(ref _lockouts, value);
                break;
            case DaemonMetrics.ExpiredRemovedInstrument:
                Interlocked.Add(ref _expired, value);
                break;
        }
    }

    public void Dispose() => _listener.Dispose();
}
