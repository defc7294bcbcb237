using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Skillscope.Assessment.Reasoning;

/// <summary>LLM feedback instruments: calls, tokens, estimated cost, fallbacks by reason, latency and the cache.</summary>
public sealed class ReasoningMetrics : IDisposable
{
    public const string MeterName = "Skillscope.Reasoning";

    private readonly Meter _meter;
    private readonly ConcurrentDictionary<string, long> _fallbacksByReason = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;
    private long _fallbacks;
    private long _written;

    /// <param name="meters">The application's meter factory, so its meter belongs to that application alone (none: a meter of its own).</param>
    public ReasoningMetrics(IMeterFactory? meters = null)
    {
        _meter = meters?.Create(MeterName) ?? new Meter(MeterName);
        Calls = _meter.CreateCounter<long>("skillscope.llm.calls", description: "LLM API calls (retries included), by outcome");
        Tokens = _meter.CreateCounter<long>("skillscope.llm.tokens", description: "Tokens the LLM API counted, by direction (in, out)");
        Cost = _meter.CreateCounter<double>("skillscope.llm.cost.usd", "{USD}", "Estimated LLM cost from the configured prices");
        Fallbacks = _meter.CreateCounter<long>("skillscope.llm.fallbacks", description: "Feedback texts written by the template instead of the LLM, by reason");
        Latency = _meter.CreateHistogram("skillscope.llm.latency", "s", "Time to get LLM feedback (retries included), for texts the LLM wrote",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] });
        Cache = _meter.CreateCounter<long>("skillscope.llm.cache", description: "Feedback cache lookups, by result (hit, miss)");
    }

    public Meter Meter => _meter;

    public Counter<long> Calls { get; }

    public Counter<long> Tokens { get; }

    public Counter<double> Cost { get; }

    public Counter<long> Fallbacks { get; }

    public Histogram<double> Latency { get; }

    public Counter<long> Cache { get; }

    /// <summary>Share of cache lookups that found a text (0 before the first lookup).</summary>
    public double CacheHitRate
    {
        get
        {
            long hits = Interlocked.Read(ref _hits), total = hits + Interlocked.Read(ref _misses);
            return total == 0 ? 0 : (double)hits / total;
        }
    }

    public long FallbackCount => Interlocked.Read(ref _fallbacks);

    public long WrittenCount => Interlocked.Read(ref _written);

    /// <summary>Template texts written instead of the LLM's so far, by reason.</summary>
    public IReadOnlyDictionary<string, long> FallbacksByReason => new Dictionary<string, long>(_fallbacksByReason, StringComparer.Ordinal);

    internal void CacheLookup(bool hit)
    {
        if (hit)
        {
            Interlocked.Increment(ref _hits);
        }
        else
        {
            Interlocked.Increment(ref _misses);
        }

        Cache.Add(1, new KeyValuePair<string, object?>("result", hit ? "hit" : "miss"));
    }

    internal void Fallback(string reason)
    {
        Interlocked.Increment(ref _fallbacks);
        _fallbacksByReason.AddOrUpdate(reason, 1, (_, count) => count + 1);
        Fallbacks.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    internal void Wrote() => Interlocked.Increment(ref _written);

    public void Dispose() => _meter.Dispose();
}
