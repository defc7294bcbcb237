using System.Diagnostics.Metrics;

namespace Skillscope.Server.Telemetry;

/// <summary>
/// The host's instruments, on <see cref="System.Diagnostics.Metrics"/>. The meter comes from the
/// application's <see cref="IMeterFactory"/>, so exporters listen to this application's meter alone
/// (several hosts may share a process, as in tests).
/// </summary>
public sealed class ServerMetrics
{
    public const string MeterName = "Skillscope.Server";

    /// <summary>Seconds: from half a millisecond (one scored row) to ten seconds (a large batch request).</summary>
    internal static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _routeLabels = new(StringComparer.Ordinal);

    public ServerMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        Requests = meter.CreateCounter<long>("skillscope.http.requests", description: "HTTP requests, by route, method and status");
        RequestDuration = meter.CreateHistogram("skillscope.http.request.duration", "s", "HTTP request time, by route", advice: Seconds);
        PredictDuration = meter.CreateHistogram("skillscope.predict.duration", "s", "Scoring request time, by model and version", advice: Seconds);
        ItemsScored = meter.CreateCounter<long>("skillscope.items.scored", description: "Items scored, by model and version");
        Rejections = meter.CreateCounter<long>("skillscope.rejections", description: "Refused requests and items, by code");
        StudentsAssessed = meter.CreateCounter<long>("skillscope.students.assessed", description: "Students assessed and stored, by way (api, job)");
        // No unit: the exporter would append one to the name ("_per_second"), and dashboards know it as skillscope_batch_throughput.
        BatchThroughput = meter.CreateHistogram<double>("skillscope.batch.throughput", unit: null, "Students per second of each finished batch job, by kind",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [10, 100, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] });
    }

    /// <summary>
    /// An endpoint's route template as a label: a route group's own root is written without the slash
    /// the group adds ("/api/v1/keys", not "/api/v1/keys/"). Computed once per template.
    /// </summary>
    public string RouteLabel(RouteEndpoint endpoint)
    {
        string raw = endpoint.RoutePattern.RawText ?? "";
        return _routeLabels.GetOrAdd(raw, static text => text.Length > 1 && text.EndsWith('/') ? text.TrimEnd('/') : text);
    }

    public Counter<long> Requests { get; }

    public Histogram<double> RequestDuration { get; }

    public Histogram<double> PredictDuration { get; }

    public Counter<long> ItemsScored { get; }

    public Counter<long> Rejections { get; }

    public Counter<long> StudentsAssessed { get; }

    public Histogram<double> BatchThroughput { get; }
}
