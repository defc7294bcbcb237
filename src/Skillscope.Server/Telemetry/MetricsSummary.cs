using System.Collections.Frozen;
using System.Globalization;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Serving;

namespace Skillscope.Server.Telemetry;

/// <summary>
/// Skillscope's own metrics as JSON (<c>/api/v1/metrics/summary</c>): a metric reader of the same
/// OpenTelemetry provider that feeds <c>/metrics</c>, collected when asked. Names are the ones
/// <c>/metrics</c> shows; counters give their total, histograms their count, sum and mean.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The meter provider owns the reader, and the reader its exporter: both are disposed with the provider.")]
public sealed class MetricsSummary
{
    private static readonly FrozenSet<string> OwnMeters = new[] { ServerMetrics.MeterName, ModelHost.MeterName, ReasoningMetrics.MeterName }.ToFrozenSet(StringComparer.Ordinal);

    private readonly SummaryExporter _exporter = new();
    private readonly Lock _collecting = new();

    public MetricsSummary() => Reader = new BaseExportingMetricReader(_exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative };

    /// <summary>The reader to add to the meter provider.</summary>
    public MetricReader Reader { get; }

    public IReadOnlyList<MetricSummary> Collect()
    {
        lock (_collecting)
        {
            return Reader.Collect() ? _exporter.Last : [];
        }
    }

    /// <summary>
    /// The name <c>/metrics</c> shows for one of our instruments, as the OpenTelemetry exporter writes it for
    /// the units we use: seconds, none, or an annotation alone (<c>{USD}</c>: no suffix). A test checks every
    /// name of the summary against <c>/metrics</c>.
    /// </summary>
    internal static string PrometheusName(Metric metric)
    {
        string name = metric.Name.Replace('.', '_') + (metric.Unit == "s" ? "_seconds" : "");
        return metric.MetricType is MetricType.LongSum or MetricType.DoubleSum ? name + "_total" : name;
    }

    private sealed class SummaryExporter : BaseExporter<Metric>
    {
        public IReadOnlyList<MetricSummary> Last { get; private set; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            var rows = new List<MetricSummary>();
            foreach (var metric in batch)
            {
                if (!OwnMeters.Contains(metric.MeterName))
                {
                    continue;
                }

                string name = PrometheusName(metric);
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var labels = new List<string>();
                    foreach (var tag in point.Tags)
                    {
                        labels.Add($"{tag.Key.Replace('.', '_')}=\"{Convert.ToString(tag.Value, CultureInfo.InvariantCulture)}\"");
                    }

                    labels.Sort(StringComparer.Ordinal);
                    string joined = string.Join(",", labels);
                    rows.Add(metric.MetricType switch
                    {
                        MetricType.LongSum => new MetricSummary(name, joined, point.GetSumLong(), null, null, null),
                        MetricType.DoubleSum => new MetricSummary(name, joined, point.GetSumDouble(), null, null, null),
                        MetricType.Histogram => new MetricSummary(name, joined, null, point.GetHistogramCount(), point.GetHistogramSum(),
                            point.GetHistogramCount() > 0 ? point.GetHistogramSum() / point.GetHistogramCount() : 0),
                        _ => new MetricSummary(name, joined, null, null, null, null),
                    });
                }
            }

            rows.Sort((a, b) => a.Metric != b.Metric ? string.CompareOrdinal(a.Metric, b.Metric) : string.CompareOrdinal(a.Labels, b.Labels));
            Last = rows;
            return ExportResult.Success;
        }
    }
}

/// <summary>One series: a counter's <see cref="Value"/>, or a histogram's count, sum and mean.</summary>
public sealed record MetricSummary(string Metric, string Labels, double? Value, long? Count, double? Sum, double? Mean);
