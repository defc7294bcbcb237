using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Metrics;

/// <summary>
/// Listens to Skillscope's meters and keeps running totals, rendered as Prometheus text (<c>/metrics</c>)
/// or JSON (<c>/api/v1/metrics/summary</c>). Counters are sums; histograms keep cumulative buckets.
/// </summary>
public sealed class PrometheusCollector : IDisposable
{
    private static readonly double[] Buckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<(string Name, string Labels), Series> _series = new();
    private readonly ConcurrentDictionary<string, (string Type, string Help)> _families = new();

    public PrometheusCollector(ServerMetrics metrics, ModelHost host, Hosting.AssessmentServices services)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(services);
        var reasoning = services.Feedback.Metrics.Meter;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter, metrics.Meter) || ReferenceEquals(instrument.Meter, host.Meter) || ReferenceEquals(instrument.Meter, reasoning))
            {
                _families[Name(instrument)] = (instrument is Histogram<double> ? "histogram" : "counter", instrument.Description ?? instrument.Name);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>Prometheus text exposition format 0.0.4.</summary>
    public string Render()
    {
        var text = new StringBuilder();
        foreach (var family in _families.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            text.Append("# HELP ").Append(family.Key).Append(' ').Append(family.Value.Help).Append('\n');
            text.Append("# TYPE ").Append(family.Key).Append(' ').Append(family.Value.Type).Append('\n');
            foreach (var ((name, labels), series) in _series.Where(s => s.Key.Name == family.Key).OrderBy(s => s.Key.Labels, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (series.Counts is null)
                    {
                        text.Append(name).Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                        continue;
                    }

                    long cumulative = 0;
                    for (int b = 0; b < Buckets.Length; b++)
                    {
                        cumulative += series.Counts[b];
                        text.Append(name).Append("_bucket").Append(Braces(Join(labels, $"le=\"{Number(Buckets[b])}\""))).Append(' ').Append(cumulative).Append('\n');
                    }

                    text.Append(name).Append("_bucket").Append(Braces(Join(labels, "le=\"+Inf\""))).Append(' ').Append(series.Count).Append('\n');
                    text.Append(name).Append("_sum").Append(Braces(labels)).Append(' ').Append(Number(series.Sum)).Append('\n');
                    text.Append(name).Append("_count").Append(Braces(labels)).Append(' ').Append(series.Count).Append('\n');
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The same totals as a JSON-friendly object: per series, its value (counters) or count, sum and mean (histograms).</summary>
    public object Summary() => _series
        .OrderBy(s => s.Key.Name, StringComparer.Ordinal).ThenBy(s => s.Key.Labels, StringComparer.Ordinal)
        .Select(s =>
        {
            lock (s.Value)
            {
                return s.Value.Counts is null
                    ? (object)new { metric = s.Key.Name, labels = s.Key.Labels, value = s.Value.Sum }
                    : new { metric = s.Key.Name, labels = s.Key.Labels, count = s.Value.Count, sum = s.Value.Sum, mean = s.Value.Count > 0 ? s.Value.Sum / s.Value.Count : 0 };
            }
        })
        .ToArray();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var labels = new List<string>(tags.Length);
        foreach (var tag in tags)
        {
            labels.Add($"{tag.Key.Replace('.', '_')}=\"{Escape(Convert.ToString(tag.Value, CultureInfo.InvariantCulture) ?? "")}\"");
        }

        labels.Sort(StringComparer.Ordinal);
        bool histogram = instrument is Histogram<double>;
        var series = _series.GetOrAdd((Name(instrument), string.Join(",", labels)), _ => new Series(histogram ? new long[Buckets.Length] : null));
        lock (series)
        {
            series.Sum += value;
            series.Count++;
            if (series.Counts is { } counts)
            {
                int bucket = Array.FindIndex(Buckets, b => value <= b);
                if (bucket >= 0)
                {
                    counts[bucket]++;
                }
            }
        }
    }

    private static string Name(Instrument instrument)
    {
        string name = instrument.Name.Replace('.', '_');
        return instrument.Unit == "s" ? name + "_seconds" : instrument is Counter<long> or Counter<double> ? name + "_total" : name;
    }

    private static string Braces(string labels) => labels.Length == 0 ? "" : "{" + labels + "}";

    private static string Join(string labels, string extra) => labels.Length == 0 ? extra : labels + "," + extra;

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private sealed class Series(long[]? counts)
    {
        public long[]? Counts { get; } = counts;

        public double Sum { get; set; }

        public long Count { get; set; }
    }
}
