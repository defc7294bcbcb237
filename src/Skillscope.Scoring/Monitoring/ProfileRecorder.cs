namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Counts one served model version's scored rows into its reference profile's bins, per hour, in memory;
/// <see cref="ModelMonitor"/> writes the counts to the database. Until the version has a reference it keeps
/// the first rows it scores instead (up to a configured number), from which one is made.
/// </summary>
public sealed class ProfileRecorder
{
    private readonly Lock _gate = new();
    private readonly int _features;
    private readonly int _referenceRows;
    private readonly Dictionary<long, (long Rows, long[] Counts)> _hours = [];
    private float[]? _buffer;
    private float[]? _scores;
    private int _buffered;
    private ReferenceProfile? _built;
    private ReferenceProfile? _reference;
    private int[] _offsets = [];
    private readonly TimeProvider _time;

    /// <param name="model">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="features">Its features, in schema order.</param>
    /// <param name="referenceRows">Rows kept to make a reference when the version has none.</param>
    /// <param name="time">The clock that tells which hour a row is counted in.</param>
    public ProfileRecorder(string model, string version, IReadOnlyList<string> features, int referenceRows, TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceRows, 1);
        Model = model;
        Version = version;
        Features = features;
        _features = features.Count;
        _referenceRows = referenceRows;
    }

    public string Model { get; }

    public string Version { get; }

    public IReadOnlyList<string> Features { get; }

    /// <summary>The reference rows are counted against (null until the stored one is known).</summary>
    public ReferenceProfile? Reference => Volatile.Read(ref _reference);

    /// <summary>
    /// Adds scored rows: counted per hour once the reference is known, otherwise kept until there are
    /// enough to make one. <paramref name="outputs"/> has <paramref name="width"/> values per row; the first is the score.
    /// </summary>
    public void Record(ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width)
    {
        if (rows <= 0)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcDateTime;

        lock (_gate)
        {
            if (_reference is { } reference)
            {
                Count(reference, matrix, outputs, rows, width, now);
            }
            else if (_built is null)
            {
                Keep(matrix, outputs, rows, width, now);
            }
        }
    }

    /// <summary>The reference made from the first rows, once there are enough and until it is stored (then null).</summary>
    public ReferenceProfile? BuiltReference
    {
        get
        {
            lock (_gate)
            {
                return _reference is null ? _built : null;
            }
        }
    }

    /// <summary>Counts from now on against <paramref name="reference"/> (the stored one, which may be another replica's).</summary>
    public void Use(ReferenceProfile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Features.Count != _features)
        {
            throw new ArgumentException($"the reference has {reference.Features.Count} features; {Model}@{Version} has {_features}", nameof(reference));
        }

        lock (_gate)
        {
            var offsets = new int[_features + 1];
            for (int f = 0; f < _features; f++)
            {
                offsets[f + 1] = offsets[f] + Histogram.Slots(reference.Features[f].Edges);
            }

            _offsets = offsets;
            _buffer = null;
            _scores = null;
            _built = null;
            _hours.Clear();
            Volatile.Write(ref _reference, reference);
        }
    }

    /// <summary>This process's counts per hour so far (copies), oldest first.</summary>
    public IReadOnlyList<LiveCounts> Snapshot()
    {
        lock (_gate)
        {
            var hours = new List<LiveCounts>(_hours.Count);
            foreach (var (hour, (rows, counts)) in _hours)
            {
                hours.Add(new LiveCounts(DateTime.UnixEpoch.AddMilliseconds(hour), rows, (long[])counts.Clone()));
            }

            hours.Sort((a, b) => a.HourStart.CompareTo(b.HourStart));
            return hours;
        }
    }

    /// <summary>Drops hours that started before <paramref name="before"/> (written already, and complete).</summary>
    public void Forget(DateTime before)
    {
        long limit = HourMs(before);
        lock (_gate)
        {
            foreach (long hour in _hours.Keys.ToArray())
            {
                if (hour < limit)
                {
                    _hours.Remove(hour);
                }
            }
        }
    }

    private void Count(ReferenceProfile reference, ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width, DateTime now)
    {
        long hour = HourMs(now);
        if (!_hours.TryGetValue(hour, out var slot))
        {
            slot = (0, new long[reference.Slots]);
        }

        var counts = slot.Counts;
        var features = reference.Features;
        var score = reference.Score;
        int scoreOffset = _offsets[^1];
        for (int r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * _features, _features);
            for (int f = 0; f < row.Length; f++)
            {
                counts[_offsets[f] + Histogram.SlotOf(row[f], features[f].Edges)]++;
            }

            if (score is not null)
            {
                counts[scoreOffset + Histogram.SlotOf(outputs[r * width], score.Edges)]++;
            }
        }

        _hours[hour] = (slot.Rows + rows, counts);
    }

    private void Keep(ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width, DateTime now)
    {
        _buffer ??= new float[_referenceRows * _features];
        _scores ??= width == 1 ? new float[_referenceRows] : [];
        int take = Math.Min(rows, _referenceRows - _buffered);
        matrix[..(take * _features)].CopyTo(_buffer.AsSpan(_buffered * _features));
        if (width == 1)
        {
            outputs[..take].CopyTo(_scores.AsSpan(_buffered));
        }

        _buffered += take;
        if (_buffered == _referenceRows)
        {
            _built = ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, Features, _buffer, _scores, now);
            _buffer = null;
            _scores = null;
        }
    }

    private static long HourMs(DateTime at)
    {
        long ms = (long)(at.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;
        return ms - (ms % 3_600_000);
    }
}
