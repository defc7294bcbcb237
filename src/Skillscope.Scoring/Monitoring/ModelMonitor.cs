using System.Collections.Concurrent;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Monitoring of every served model version: a <see cref="ProfileRecorder"/> per version counts what it
/// scores, <see cref="FlushAsync"/> stores references made from first rows and writes each hour's counts
/// (this process's running totals, under its own writer name), and <see cref="DriftAsync"/> compares a
/// window of every replica's counts with the version's reference.
/// </summary>
/// <param name="store">Where references and counts are kept.</param>
/// <param name="referenceRows">Rows a version's reference is made from when it has none.</param>
/// <param name="time">The clock rows are counted by.</param>
public sealed class ModelMonitor(IMonitoringStore store, int referenceRows, TimeProvider? time = null)
{
    /// <summary>First scored rows a reference is made from, unless configured otherwise.</summary>
    public const int DefaultReferenceRows = 10_000;

    /// <summary>How often counts are written, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultFlushInterval = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<(string Model, string Version), ProfileRecorder> _recorders = new();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private DateTime _pruned = DateTime.MinValue;

    /// <summary>How long counts are kept: the longest window a drift query takes, and a day.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(91);

    /// <summary>This process's name among the writers of counts.</summary>
    public string Writer { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    public DateTime Now => _time.GetUtcNow().UtcDateTime;

    /// <summary>This process's answered requests, written with the counts for error-rate and latency alerts.</summary>
    public RequestTally Requests { get; } = new(time);

    /// <summary>Rows each version scored and failed, per minute, on every scoring path (written with the counts).</summary>
    public VersionTally Versions { get; } = new(time);

    /// <summary>The score each entity last got and from which version, for matching outcomes (written with the counts).</summary>
    public PredictionLog Predictions { get; } = new(time);

    /// <summary>Scores shadow candidates on served rows and counts how they compare (written with the counts).</summary>
    public ShadowRunner Shadows { get; } = new(time);

    /// <summary>How long request counts are kept: the longest window an error-rate or latency rule takes, and a day.</summary>
    public static readonly TimeSpan RequestCountsKeptFor = TimeSpan.FromDays(8);

    /// <summary>The recorder of a version (one per version in this process, whichever catalog loaded it).</summary>
    public ProfileRecorder RecorderFor(string model, string version, IReadOnlyList<string> features) =>
        _recorders.GetOrAdd((model, version), key => new ProfileRecorder(key.Model, key.Version, features, referenceRows, _time));

    /// <summary>
    /// For every version scored here: learns its stored reference, or stores the one its first rows made;
    /// then writes this process's counts of the hours that changed, and forgets the hours before this one.
    /// Every version is tried even when one fails (a stored reference that cannot be read, …); the
    /// failures are thrown together at the end.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellation = default)
    {
        var failures = new List<Exception>();
        foreach (var recorder in _recorders.Values)
        {
            try
            {
                await FlushOneAsync(recorder, cancellation).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                failures.Add(new InvalidOperationException($"{recorder.Model}@{recorder.Version}: {exception.Message}", exception));
            }
        }

        // What cannot be written is taken again next time: a database that is away delays counts, loses none.
        var now = Now;
        await WriteAsync(Requests.TakeChanged(), taken => store.SaveRequestCountsAsync(Writer, taken, cancellation), Requests.Unwritten, "request counts", failures, cancellation)
            .ConfigureAwait(false);

        // The current minute stays: its later requests are added to the same totals and written again.
        Requests.Forget(now);
        await WriteAsync(Versions.TakeChanged(), taken => store.SaveVersionCountsAsync(Writer, taken, cancellation), Versions.Unwritten, "version counts", failures, cancellation)
            .ConfigureAwait(false);
        Versions.Forget(now);
        await WriteAsync(Predictions.Take(), taken => store.SavePredictionsAsync(taken, cancellation), Predictions.Restore, "scores for outcomes", failures, cancellation)
            .ConfigureAwait(false);
        await WriteAsync(Shadows.TakeChanged(), taken => store.SaveShadowCountsAsync(Writer, taken, cancellation), Shadows.Unwritten, "shadow counts", failures, cancellation)
            .ConfigureAwait(false);
        Shadows.Forget(now);

        // Counts older than the longest window anyone can ask for go, once an hour.
        if (now - _pruned >= TimeSpan.FromHours(1))
        {
            try
            {
                await store.PruneAsync(now - KeptFor, now - RequestCountsKeptFor, cancellation).ConfigureAwait(false);
                _pruned = now;
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                failures.Add(new InvalidOperationException($"pruning old counts: {exception.Message}", exception));
            }
        }

        if (failures.Count > 0)
        {
            throw new AggregateException(failures);
        }
    }

    /// <summary>Writes what was taken; on failure gives it back to be taken again, and notes why.</summary>
    private static async Task WriteAsync<T>(IReadOnlyList<T> taken, Func<IReadOnlyList<T>, Task> write, Action<IReadOnlyList<T>> unwritten, string what,
        List<Exception> failures, CancellationToken cancellation)
    {
        if (taken.Count == 0)
        {
            return;
        }

        try
        {
            await write(taken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            unwritten(taken);
            failures.Add(new InvalidOperationException($"{what}: {exception.Message}", exception));
        }
    }

    private async Task FlushOneAsync(ProfileRecorder recorder, CancellationToken cancellation)
    {
        if (recorder.Reference is null)
        {
            var stored = await store.GetReferenceAsync(recorder.Model, recorder.Version, cancellation).ConfigureAwait(false);
            if (stored is null && recorder.BuiltReference is { } built)
            {
                stored = await store.AddReferenceAsync(recorder.Model, recorder.Version, built, cancellation).ConfigureAwait(false);
            }

            if (stored is null)
            {
                return;
            }

            recorder.Use(stored);
        }

        var hours = recorder.TakeChanged();
        if (hours.Count > 0)
        {
            try
            {
                await store.SaveLiveCountsAsync(recorder.Model, recorder.Version, Writer, hours, cancellation).ConfigureAwait(false);
            }
            catch
            {
                // Not written: taken again next time, so a database that is away delays counts and loses none.
                recorder.Unwritten(hours);
                throw;
            }
        }

        // The current hour stays: its later rows are added to the same totals and written again.
        recorder.Forget(LiveCounts.HourOf(Now));
    }

    /// <summary>
    /// Flushes now, then every <paramref name="every"/> until <paramref name="stopping"/> is cancelled, then once more:
    /// a flush that fails (the database is away) is reported to <paramref name="failed"/> and tried again
    /// next time, and scoring never waits for it.
    /// </summary>
    public async Task RunAsync(TimeSpan every, Action<Exception> failed, CancellationToken stopping)
    {
        ArgumentNullException.ThrowIfNull(failed);
        using var timer = new PeriodicTimer(every, _time);

        // At once first: the versions loaded so far learn their stored references (the rows they kept meanwhile are counted then).
        await FlushQuietlyAsync(failed, stopping).ConfigureAwait(false);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
            {
                await FlushQuietlyAsync(failed, stopping).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: the last counts are written below.
        }

        using var last = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await FlushQuietlyAsync(failed, last.Token).ConfigureAwait(false);
    }

    private async Task FlushQuietlyAsync(Action<Exception> failed, CancellationToken cancellation)
    {
        try
        {
            await FlushAsync(cancellation).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            failed(exception);
        }
    }

    /// <summary>
    /// A version's drift over the whole hours of the window ending now (the current one included): null
    /// when it has no reference yet.
    /// </summary>
    public async Task<DriftReport?> DriftAsync(string model, string version, TimeSpan window, DriftThresholds thresholds,
        IReadOnlyDictionary<string, DriftThresholds>? perVariable = null, CancellationToken cancellation = default)
    {
        var reference = await store.GetReferenceAsync(model, version, cancellation).ConfigureAwait(false);
        if (reference is null)
        {
            return null;
        }

        var now = Now;
        var since = WindowStart(now, window, TimeSpan.FromHours(1));
        long rows = 0;
        var counts = new long[reference.Slots];
        var coverage = new long[LiveCounts.CoverageSlots];
        foreach (var hour in await store.LiveCountsAsync(model, version, since, now, cancellation).ConfigureAwait(false))
        {
            // Counts in another layout were made against another reference (one replaced by hand): they are left out.
            if (hour.Counts.Length != counts.Length)
            {
                continue;
            }

            rows += hour.Rows;
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] += hour.Counts[i];
            }

            for (int i = 0; i < hour.Coverage.Length && i < coverage.Length; i++)
            {
                coverage[i] += hour.Coverage[i];
            }
        }

        return DriftCalculator.Compare(reference, rows, counts, thresholds, perVariable) with { Since = since, Coverage = coverage, LiveSlots = counts };
    }

    /// <summary>
    /// How <paramref name="candidate"/> compared with each version that served <paramref name="model"/> over the
    /// whole hours of the window ending now, every replica's rows summed; <paramref name="width"/> is the
    /// outputs per row. Empty when it has scored nothing in the window.
    /// </summary>
    public async Task<IReadOnlyList<ShadowComparison>> ShadowAsync(string model, string candidate, TimeSpan window, int width, CancellationToken cancellation = default)
    {
        var now = Now;
        var since = WindowStart(now, window, TimeSpan.FromHours(1));
        var hours = await store.ShadowCountsAsync(model, candidate, since, now, cancellation).ConfigureAwait(false);
        return [.. hours.GroupBy(h => h.Served, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => ShadowComparison.Of([.. g], width))];
    }

    /// <summary>Every replica's use of each version of <paramref name="model"/> over the whole minutes of the window ending now.</summary>
    public async Task<IReadOnlyDictionary<string, VersionUsage>> VersionUsageAsync(string model, TimeSpan window,
        CancellationToken cancellation = default)
    {
        var now = Now;
        var since = WindowStart(now, window, TimeSpan.FromMinutes(1));
        var usage = new Dictionary<string, VersionUsage>(StringComparer.Ordinal);
        foreach (var minute in await store.VersionCountsAsync(model, since, now.AddMinutes(1), cancellation).ConfigureAwait(false))
        {
            usage[minute.Version] = usage.GetValueOrDefault(minute.Version).Plus(minute);
        }

        return usage;
    }

    /// <summary>Every replica's requests over the whole minutes of the window ending now (the current one included), summed.</summary>
    public async Task<RequestCounts> RequestsAsync(TimeSpan window, CancellationToken cancellation = default)
    {
        var now = Now;
        var since = WindowStart(now, window, TimeSpan.FromMinutes(1));
        long requests = 0, failures = 0;
        var latency = new long[RequestCounts.LatencySlots];
        foreach (var minute in await store.RequestCountsAsync(since, now.AddMinutes(1), cancellation).ConfigureAwait(false))
        {
            requests += minute.Requests;
            failures += minute.Failures;
            for (int i = 0; i < latency.Length && i < minute.Latency.Length; i++)
            {
                latency[i] += minute.Latency[i];
            }
        }

        return new RequestCounts(since, requests, failures, latency);
    }

    /// <summary>
    /// The start of the first whole <paramref name="bucket"/> (hour or minute) of the window ending at
    /// <paramref name="now"/>: every window counts whole buckets, the current one included.
    /// </summary>
    public static DateTime WindowStart(DateTime now, TimeSpan window, TimeSpan bucket)
    {
        var from = now - window;
        var start = new DateTime(from.Ticks - (from.Ticks % bucket.Ticks), DateTimeKind.Utc);
        return start < from ? start + bucket : start;
    }
}
