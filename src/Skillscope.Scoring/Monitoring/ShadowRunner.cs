using System.Collections.Frozen;
using System.Diagnostics;
using System.Threading.Channels;
using Skillscope.Scoring.Serving;

namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Scores a model's shadow candidate on the rows its served versions scored, after they answered: a batch is
/// offered (a queue write, never a wait) and scored here on one background reader, with the candidate's own
/// columns taken by feature name. The candidate's outputs are only compared, per served version and hour:
/// rows, mean absolute difference, band changes, time per row of both, and a sample of pairs for the rank
/// correlation. Its failures are counted, never thrown; when it falls behind, rows are dropped and counted,
/// so it never slows scoring. Its scored rows also count for its own drift (its profile recorder).
/// </summary>
public sealed class ShadowRunner(TimeProvider? time = null)
{
    /// <summary>Pairs kept per served version, hour and process for the rank correlation.</summary>
    public const int SamplesPerHour = 1_000;

    /// <summary>Batches waiting before further ones are dropped.</summary>
    private const int QueuedBatches = 1_024;

    /// <summary>Rows waiting before further batches are dropped: a night's large batches must not pin gigabytes while the candidate catches up.</summary>
    private const long QueuedRows = 1_000_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Channel<Batch> _queue = Channel.CreateBounded<Batch>(
        new BoundedChannelOptions(QueuedBatches) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly Lock _gate = new();
    private readonly ChangedTotals<Key, Tally> _hours = new(key => key.Hour);
    private readonly Dictionary<(LoadedModel Served, LoadedModel Candidate), int[]> _columns = [];
    private readonly Dictionary<string, int> _share = new(StringComparer.Ordinal);
    private readonly Random _sampling = new(20_261_207);
    private FrozenDictionary<string, ShadowTarget> _targets = FrozenDictionary<string, ShadowTarget>.Empty;
    private int _running;
    private long _queuedRows;

    /// <summary>Takes the shadows of a new catalog (called as it is loaded).</summary>
    public void Use(ModelCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var targets = new Dictionary<string, ShadowTarget>(StringComparer.Ordinal);
        foreach (var (name, served) in catalog.Models)
        {
            if (served.Shadow is { } shadow)
            {
                targets[name] = shadow;
            }
        }

        Volatile.Write(ref _targets, targets.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Offers a scored batch (<paramref name="rows"/> rows of the served version's features, their outputs, and the
    /// time they took) to the model's candidate, if it has one and the runner runs. Never waits, never throws.
    /// </summary>
    public void Offer(LoadedModel served, float[] matrix, float[] outputs, int rows, int width, long elapsedTicks)
    {
        ArgumentNullException.ThrowIfNull(served);
        if (Volatile.Read(ref _running) == 0 || !Volatile.Read(ref _targets).TryGetValue(served.Name, out var target) || ReferenceEquals(target.Candidate, served))
        {
            return;
        }

        bool room = Interlocked.Add(ref _queuedRows, rows) <= QueuedRows;
        if (!room || !_queue.Writer.TryWrite(new Batch(served, target, matrix, outputs, rows, width, elapsedTicks)))
        {
            Interlocked.Add(ref _queuedRows, -rows);
            lock (_gate)
            {
                var tally = TallyFor(new Key(served.Name, target.Candidate.Version, served.Version, CurrentHour()));
                tally.Dropped += rows;
            }
        }
    }

    /// <summary>Scores offered batches until <paramref name="stopping"/> is cancelled; offers are taken only while this runs.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        Interlocked.Exchange(ref _running, 1);
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(stopping).ConfigureAwait(false))
            {
                Shadow(batch);
                Interlocked.Add(ref _queuedRows, -batch.Rows);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Stopping: batches still queued are left unscored.
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
        }
    }

    /// <summary>Copies of the hours that changed since the last call.</summary>
    public IReadOnlyList<ShadowCounts> TakeChanged()
    {
        lock (_gate)
        {
            return _hours.TakeChanged((key, t) => new ShadowCounts(key.Model, key.Candidate, key.Served, key.Hour, t.Rows, t.Failures, t.Dropped,
                t.AbsoluteDifference, t.BandChanges, t.ServedNanoseconds, t.CandidateNanoseconds, t.LastFailure, [.. t.Samples]));
        }
    }

    /// <summary>Takes back hours that were taken but could not be written: they are taken again next time.</summary>
    public void Unwritten(IReadOnlyList<ShadowCounts> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        lock (_gate)
        {
            foreach (var hour in hours)
            {
                _hours.Unwritten(new Key(hour.Model, hour.Candidate, hour.Served, hour.HourStart));
            }
        }
    }

    /// <summary>Drops the written hours before <paramref name="before"/>'s (later rows count in that hour at the earliest).</summary>
    public void Forget(DateTime before)
    {
        lock (_gate)
        {
            _hours.Forget(LiveCounts.HourOf(before));
        }
    }

    /// <summary>Scores one batch with its candidate and counts the comparison (synchronously: the background reader's step).</summary>
    internal void Shadow(Batch batch)
    {
        var (served, target) = (batch.Served, batch.Target);
        var candidate = target.Candidate;
        var chosen = Choose(served.Name, batch.Rows, target.Percent);
        if (chosen.Count == 0)
        {
            return;
        }

        var key = new Key(served.Name, candidate.Version, served.Version, CurrentHour());
        long servedNs = TicksToNanoseconds(batch.ElapsedTicks) * chosen.Count / batch.Rows;
        float[] outputs;
        long candidateTicks;
        try
        {
            var scorer = candidate.Scorer;
            if (scorer.OutputWidth != batch.Width)
            {
                throw new InvalidOperationException($"{candidate.Id} gives {scorer.OutputWidth} outputs per row where {served.Id} gives {batch.Width}: they cannot be compared");
            }

            var columns = ColumnsFor(served, candidate);
            int servedFeatures = served.Scorer.FeatureCount;
            var matrix = new float[chosen.Count * columns.Length];
            for (int i = 0; i < chosen.Count; i++)
            {
                int row = chosen[i] * servedFeatures;
                for (int c = 0; c < columns.Length; c++)
                {
                    matrix[(i * columns.Length) + c] = columns[c] < 0 ? float.NaN : batch.Matrix[row + columns[c]];
                }
            }

            outputs = new float[chosen.Count * batch.Width];
            long started = Stopwatch.GetTimestamp();
            scorer.ScoreBatch(matrix, outputs, []);
            candidateTicks = Stopwatch.GetTimestamp() - started;
            candidate.Profile?.Record(matrix, outputs, chosen.Count, batch.Width);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            lock (_gate)
            {
                var failed = TallyFor(key);
                failed.Failures += chosen.Count;
                failed.LastFailure = exception.Message;
            }

            return;
        }

        lock (_gate)
        {
            var tally = TallyFor(key);
            for (int i = 0; i < chosen.Count; i++)
            {
                var mine = batch.Outputs.AsSpan(chosen[i] * batch.Width, batch.Width);
                var theirs = outputs.AsSpan(i * batch.Width, batch.Width);
                for (int k = 0; k < mine.Length; k++)
                {
                    tally.AbsoluteDifference += Math.Abs((double)mine[k] - theirs[k]);
                }

                tally.BandChanges += Band(mine, target.Cuts) != Band(theirs, target.Cuts) ? 1 : 0;
                Sample(tally, mine[0], theirs[0]);
                tally.Rows++;
            }

            tally.ServedNanoseconds += servedNs;
            tally.CandidateNanoseconds += TicksToNanoseconds(candidateTicks);
        }
    }

    /// <summary>The rows of a batch the shadow takes: every one at 100 %, else spread evenly, carrying the remainder across batches.</summary>
    private List<int> Choose(string model, int rows, int percent)
    {
        var chosen = new List<int>(rows * percent / 100 + 1);
        int carried = _share.GetValueOrDefault(model);
        for (int r = 0; r < rows; r++)
        {
            carried += percent;
            if (carried >= 100)
            {
                carried -= 100;
                chosen.Add(r);
            }
        }

        _share[model] = carried;
        return chosen;
    }

    /// <summary>For each of the candidate's features, the served version's column holding it (-1: missing there).</summary>
    private int[] ColumnsFor(LoadedModel served, LoadedModel candidate)
    {
        if (!_columns.TryGetValue((served, candidate), out var columns))
        {
            var servedIndex = served.Package.Schema.Features.Select((f, i) => (f.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
            columns = [.. candidate.Package.Schema.Features.Select(f => servedIndex.GetValueOrDefault(f.Name, -1))];
            _columns[(served, candidate)] = columns;
        }

        return columns;
    }

    /// <summary>A row's band: how many cuts its score reaches (one output), or its class (several).</summary>
    private static int Band(ReadOnlySpan<float> outputs, IReadOnlyList<double> cuts)
    {
        if (outputs.Length > 1)
        {
            int best = 0;
            for (int k = 1; k < outputs.Length; k++)
            {
                best = outputs[k] > outputs[best] ? k : best;
            }

            return best;
        }

        int band = 0;
        foreach (double cut in cuts)
        {
            band += outputs[0] >= cut ? 1 : 0;
        }

        return band;
    }

    /// <summary>Keeps a uniform sample of the hour's pairs (reservoir sampling).</summary>
    private void Sample(Tally tally, float served, float candidate)
    {
        long seen = tally.Rows;
        if (tally.Samples.Count < 2 * SamplesPerHour)
        {
            tally.Samples.Add(served);
            tally.Samples.Add(candidate);
        }
        else if (_sampling.NextInt64(seen + 1) is var slot && slot < SamplesPerHour)
        {
            tally.Samples[(int)(2 * slot)] = served;
            tally.Samples[(int)((2 * slot) + 1)] = candidate;
        }
    }

    private Tally TallyFor(Key key) => _hours.Change(key, static () => new Tally());

    private DateTime CurrentHour() => _hours.NotBeforeFloor(LiveCounts.HourOf(_time.GetUtcNow().UtcDateTime));

    private static long TicksToNanoseconds(long ticks) => (long)(ticks * (1_000_000_000.0 / Stopwatch.Frequency));

    internal sealed record Batch(LoadedModel Served, ShadowTarget Target, float[] Matrix, float[] Outputs, int Rows, int Width, long ElapsedTicks);

    private readonly record struct Key(string Model, string Candidate, string Served, DateTime Hour);

    private sealed class Tally
    {
        public long Rows;
        public long Failures;
        public long Dropped;
        public double AbsoluteDifference;
        public long BandChanges;
        public long ServedNanoseconds;
        public long CandidateNanoseconds;
        public string? LastFailure;
        public List<float> Samples = [];
    }
}
