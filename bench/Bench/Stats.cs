using System.Globalization;

namespace OpenBastion.Bench;

/// <summary>Order statistics of a latency sample (nearest-rank percentiles).</summary>
internal sealed class Stats
{
    private readonly double[] _sorted;

    public Stats(IEnumerable<double> values)
    {
        _sorted = values.ToArray();
        Array.Sort(_sorted);
    }

    public int Count => _sorted.Length;

    public double Percentile(double p)
    {
        if (_sorted.Length == 0) return double.NaN;
        var rank = (int)Math.Ceiling(p / 100.0 * _sorted.Length);
        return _sorted[Math.Clamp(rank - 1, 0, _sorted.Length - 1)];
    }

    public double Median => _sorted.Length == 0 ? double.NaN
        : _sorted.Length % 2 == 1 ? _sorted[_sorted.Length / 2]
        : (_sorted[_sorted.Length / 2 - 1] + _sorted[_sorted.Length / 2]) / 2;

    public double Max => _sorted.Length == 0 ? double.NaN : _sorted[^1];

    public double Min => _sorted.Length == 0 ? double.NaN : _sorted[0];

    public static string Series(IEnumerable<double> values) =>
        string.Join(' ', values.Select(v => v.ToString("0.#", CultureInfo.InvariantCulture)));
}

internal static class ProcStatus
{
    /// <summary>A "VmHWM"/"VmRSS" line of /proc/PID/status in MiB, or null when the process is gone.</summary>
    public static double? MiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                    return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException) { }
        return null;
    }

    public static string LoadAverage()
    {
        try { return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)); }
        catch (IOException) { return "?"; }
    }
}
