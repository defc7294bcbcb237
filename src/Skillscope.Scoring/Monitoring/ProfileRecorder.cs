namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Counts one served model version's scored rows into its reference profile's bins, per hour, in memory;
/// <see cref="ModelMonitor"/> writes the counts to the database. Until the version's stored reference is
/// known it keeps the rows it scores instead (up to a configured number): from them a reference is made
/// when the version has none, and they are counted once the stored one is known. Monitoring never fails a
/// request: a fault while counting is counted in <see cref="Faults"/> and the rows are left out.
/// </summary>
public sealed class ProfileRecorder
{
    // Rows kept before a reference exists grow by chunks, so a version that scores little holds little.
    private const int KeptRowsChunk = 1_024;

    private readonly Lock _gate = new();
    private readonly int _features;
    private readonly int _referenceRows;
    private readonly TimeProvider _time;
    private readonly ChangedTotals<DateTime, (long Rows, long[] Counts, long[] Coverage)> _hours = new(hour => hour);
    private float[] _kept = [];
    private float[] _keptScores = [];
    private int _keptRows;
    private bool _keptScoresValid = true;
    private ReferenceProfile? _built;
    private ReferenceProfile? _reference;
    private int[] _offsets = [];
    private SlotFinder? _slots;
    private long _faults;

    /// <param name="model">The model's name.</param>
    /// <param name="version">The version.</param>
    /// <param name="features">Its features, in schema order.</param>
    /// <param name="referenceRows">Rows kept to make a reference when the version has none.</param>
    /// <param name="time">The clock that tells which hour a row is counted in.</param>
    public ProfileRecorder(string model, string version, IReadOnlyList<string> features, int referenceRows, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentOutOfRangeException.ThrowIfLessThan(referenceRows, 1);
        Model = model;
        Version = version;
        Features = features;
        _features = features.Count;
        _referenceRows = referenceRows;
        _time = time ?? TimeProvider.System;
    }

    public string Model { get; }

    public string Version { get; }

    public IReadOnlyList<string> Features { get; }

    /// <summary>The reference rows are counted against (null until the stored one is known).</summary>
    public ReferenceProfile? Reference => Volatile.Read(ref _reference);

    /// <summary>Calls to <see cref="Record"/> that failed (their rows are not counted; scoring went on).</summary>
    public long Faults => Interlocked.Read(ref _faults);

    /// <summary>
    /// Adds scored rows: counted in the current hour once the reference is known, otherwise kept.
    /// <paramref name="outputs"/> has <paramref name="width"/> values per row; the first is the score.
    /// </summary>
    public void Record(ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width)
    {
        if (rows <= 0)
        {
            return;
        }

        try
        {
            lock (_gate)
            {
                // The hour is read under the lock: a row cannot land in an hour already written and forgotten.
                if (_reference is { } reference)
                {
                    Count(reference, matrix, outputs, rows, width, CurrentHour());
                }
                else if (_keptRows < _referenceRows)
                {
                    Keep(matrix, outputs, rows, width);
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Interlocked.Increment(ref _faults);
        }
    }

    /// <summary>
    /// A reference made from the first rows kept, once there are enough (null before, and once the stored
    /// reference is known). Made once; the rows stay kept until <see cref="Use"/>.
    /// </summary>
    public ReferenceProfile? BuiltReference
    {
        get
        {
            lock (_gate)
            {
                if (_reference is not null || _keptRows < _referenceRows)
                {
                    return null;
                }

                return _built ??= ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, Features, _kept.AsSpan(0, _keptRows * _features),
                    _keptScoresValid ? _keptScores.AsSpan(0, _keptRows) : [], _time.GetUtcNow().UtcDateTime);
            }
        }
    }

    /// <summary>
    /// Counts from now on against <paramref name="reference"/> (the stored one, which may be another
    /// replica's). The rows kept until now are counted too, unless the reference was made from them.
    /// </summary>
    public void Use(ReferenceProfile reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Features.Count != _features)
        {
            throw new InvalidDataException($"the stored reference of {Model}@{Version} has {reference.Features.Count} features; the version has {_features}");
        }

        lock (_gate)
        {
            if (_reference is not null)
            {
                return;
            }

            var offsets = new int[_features + 1];
            for (int f = 0; f < _features; f++)
            {
                offsets[f + 1] = offsets[f] + Histogram.Slots(reference.Features[f].Edges);
            }

            _offsets = offsets;
            _slots = new SlotFinder([.. reference.Features.Select(feature => feature.Edges), reference.Score?.Edges ?? []]);
            bool madeFromKept = _built is { } built && built.CreatedAt == reference.CreatedAt && built.Rows == reference.Rows && built.Source == reference.Source;
            if (!madeFromKept && _keptRows > 0)
            {
                Count(reference, _kept.AsSpan(0, _keptRows * _features), _keptScoresValid ? _keptScores.AsSpan(0, _keptRows) : [], _keptRows,
                    _keptScoresValid ? 1 : 0, CurrentHour());
            }

            _kept = [];
            _keptScores = [];
            _keptRows = 0;
            _built = null;
            Volatile.Write(ref _reference, reference);
        }
    }

    /// <summary>This process's counts (copies) of the hours that changed since the last call, oldest first.</summary>
    public IReadOnlyList<LiveCounts> TakeChanged()
    {
        lock (_gate)
        {
            var hours = _hours.TakeChanged((hour, totals) => new LiveCounts(hour, totals.Rows, (long[])totals.Counts.Clone()) { Coverage = (long[])totals.Coverage.Clone() });
            hours.Sort((a, b) => a.HourStart.CompareTo(b.HourStart));
            return hours;
        }
    }

    /// <summary>Takes back hours that were taken but could not be written: they are taken again next time, not forgotten.</summary>
    public void Unwritten(IReadOnlyList<LiveCounts> hours)
    {
        ArgumentNullException.ThrowIfNull(hours);
        lock (_gate)
        {
            foreach (var hour in hours)
            {
                _hours.Unwritten(hour.HourStart);
            }
        }
    }

    /// <summary>
    /// Drops the hours that started before <paramref name="before"/> and have not changed since they were
    /// taken (so written): later rows count in <paramref name="before"/>'s hour at the earliest, so a written
    /// hour is never started again from nothing.
    /// </summary>
    public void Forget(DateTime before)
    {
        lock (_gate)
        {
            // An hour that changed since it was taken is kept until it is written again.
            _hours.Forget(LiveCounts.HourOf(before));
        }
    }

    // width: outputs per row; 0 when there are no scores to count.
    private void Count(ReferenceProfile reference, ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width, DateTime hour)
    {
        // Read, not made by a callback: this runs for every scored batch, and a capturing lambda would allocate.
        var slot = _hours.GetValueOrDefault(hour);
        if (slot.Counts is null)
        {
            slot = (0, new long[reference.Slots], new long[LiveCounts.CoverageSlots]);
        }

        var counts = slot.Counts;
        var coverage = slot.Coverage;
        var slots = _slots!;
        bool score = width > 0 && reference.Score is not null;
        int scoreOffset = _offsets[^1];
        for (int r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * _features, _features);
            int present = 0;
            for (int f = 0; f < row.Length; f++)
            {
                float value = row[f];
                present += float.IsNaN(value) ? 0 : 1;
                counts[_offsets[f] + slots.SlotOf(f, value)]++;
            }

            coverage[LiveCounts.CoverageSlotOf(present, row.Length)]++;

            if (score)
            {
                counts[scoreOffset + slots.SlotOf(_features, outputs[r * width])]++;
            }
        }

        _hours.Set(hour, (slot.Rows + rows, counts, coverage));
    }

    private void Keep(ReadOnlySpan<float> matrix, ReadOnlySpan<float> outputs, int rows, int width)
    {
        int take = Math.Min(rows, _referenceRows - _keptRows);
        int needed = _keptRows + take;
        if (needed > _keptScores.Length)
        {
            int capacity = Math.Min(_referenceRows, Math.Max(needed, _keptRows + KeptRowsChunk));
            Array.Resize(ref _kept, capacity * _features);
            Array.Resize(ref _keptScores, capacity);
        }

        matrix[..(take * _features)].CopyTo(_kept.AsSpan(_keptRows * _features));

        // A score profile is made of the first output, and only for a model with one.
        _keptScoresValid &= width == 1;
        if (_keptScoresValid)
        {
            outputs[..take].CopyTo(_keptScores.AsSpan(_keptRows));
        }

        _keptRows = needed;
    }

    /// <summary>The hour a row scored now counts in: never one before the last forgotten (written) hours.</summary>
    private DateTime CurrentHour() => _hours.NotBeforeFloor(LiveCounts.HourOf(_time.GetUtcNow().UtcDateTime));
}
