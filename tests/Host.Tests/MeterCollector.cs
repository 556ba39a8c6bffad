using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace OpenBastion.Host.Tests;

/// <summary>Records every measurement of one meter's instruments.</summary>
internal sealed class MeterCollector : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = new();

    public MeterCollector(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName) listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, tags.ToArray())));
        _listener.SetMeasurementEventCallback<int>((i, v, tags, _) => _measurements.Enqueue((i.Name, v, tags.ToArray())));
        _listener.Start();
    }

    public void RecordObservables() => _listener.RecordObservableInstruments();

    public long Sum(string instrument, (string Key, string Value) tag) =>
        _measurements.Where(m => m.Instrument == instrument && m.Tags.Any(t => t.Key == tag.Key && Equals(t.Value, tag.Value))).Sum(m => m.Value);

    public long? Last(string instrument) => _measurements.LastOrDefault(m => m.Instrument == instrument).Value;

    public void Dispose() => _listener.Dispose();
}
