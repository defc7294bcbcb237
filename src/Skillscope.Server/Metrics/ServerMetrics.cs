using System.Diagnostics.Metrics;

namespace Skillscope.Server.Metrics;

/// <summary>The host's instruments, on <see cref="System.Diagnostics.Metrics"/> so any listener (ours, OpenTelemetry) can read them.</summary>
public sealed class ServerMetrics : IDisposable
{
    public const string MeterName = "Skillscope.Server";

    private readonly Meter _meter = new(MeterName);

    public ServerMetrics()
    {
        Requests = _meter.CreateCounter<long>("skillscope.http.requests", description: "HTTP requests, by route, method and status");
        RequestDuration = _meter.CreateHistogram<double>("skillscope.http.request.duration", "s", "HTTP request time, by route");
        PredictDuration = _meter.CreateHistogram<double>("skillscope.predict.duration", "s", "Scoring request time, by model and version");
        ItemsScored = _meter.CreateCounter<long>("skillscope.items.scored", description: "Items scored, by model and version");
        Rejections = _meter.CreateCounter<long>("skillscope.rejections", description: "Refused requests and items, by code");
        StudentsAssessed = _meter.CreateCounter<long>("skillscope.students.assessed", description: "Students assessed and stored, by way (api, job)");
        BatchThroughput = _meter.CreateHistogram<double>("skillscope.batch.throughput", "{student}/s", "Students per second of each finished batch job, by kind");
    }

    /// <summary>This instance's meter: a collector listens to it alone, not to other hosts in the process.</summary>
    public Meter Meter => _meter;

    public Counter<long> Requests { get; }

    public Histogram<double> RequestDuration { get; }

    public Histogram<double> PredictDuration { get; }

    public Counter<long> ItemsScored { get; }

    public Counter<long> Rejections { get; }

    public Counter<long> StudentsAssessed { get; }

    public Histogram<double> BatchThroughput { get; }

    public void Dispose() => _meter.Dispose();
}
