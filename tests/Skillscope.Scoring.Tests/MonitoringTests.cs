using Skillscope.Scoring.Monitoring;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>
/// Reference profiles and drift on generated streams: the same distribution replayed at any volume reads
/// as no drift, a half-standard-deviation shift of one feature and a jump in another's missing rate read
/// as alerts on exactly those features, and a window too small for a verdict says so.
/// </summary>
public sealed class MonitoringTests
{
    private static readonly string[] Names = ["tenure", "visits", "spend", "tickets"];

    [Fact]
    public void Deciles_bin_a_continuous_feature_evenly_and_a_constant_or_missing_one_in_one_bin()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 10_000).Select(_ => (float)Normal(random)).ToArray();
        var histogram = ProfileBuilder.Of("x", values);
        Assert.Equal(9, histogram.Edges.Length);
        Assert.All(histogram.Counts[..^1], count => Assert.InRange(count, 950, 1_050));
        Assert.Equal(0, histogram.Missing);

        var constant = ProfileBuilder.Of("c", [.. Enumerable.Repeat(2f, 500), float.NaN]);
        Assert.Empty(constant.Edges);
        Assert.Equal([500L, 1L], constant.Counts);
        Assert.Equal(2f, constant.Min);

        var missing = ProfileBuilder.Of("m", [float.NaN, float.NaN]);
        Assert.True(float.IsNaN(missing.Min) && float.IsNaN(missing.Max));
        Assert.Equal([0L, 2L], missing.Counts);

        // A value on an edge falls in the bin below it; above the last edge, in the last bin; missing, in the slot after.
        float[] edges = [1f, 2f, 3f];
        Assert.Equal([0, 0, 1, 3, 4], new[] { 0.5f, 1f, 1.5f, 3.5f, float.NaN }.Select(v => Histogram.SlotOf(v, edges)).ToArray());
    }

    [Fact]
    public void Replaying_the_reference_distribution_at_any_volume_raises_nothing()
    {
        var reference = Reference(new Random(1));
        foreach (int rows in new[] { 1_000, 20_000, 200_000 })
        {
            var report = Live(reference, new Random(rows), rows, shift: 0, missingVisits: 0.05);
            Assert.Equal(DriftCalculator.Ok, report.Status);
            Assert.All(report.Features, f => Assert.True(f.PsiExcess < 0.02, $"{f.Name}: PSI {f.Psi:F4}, excess {f.PsiExcess:F4} over {rows} rows"));
            Assert.Equal(DriftCalculator.Ok, report.Score!.Status);
        }
    }

    [Fact]
    public void A_shifted_feature_and_a_jump_in_missing_values_alert_on_exactly_those_features()
    {
        var reference = Reference(new Random(1));
        var report = Live(reference, new Random(7), 20_000, shift: 0.5, missingVisits: 0.40);
        var status = report.Features.ToDictionary(f => f.Name, f => f.Status);
        Assert.Equal(DriftCalculator.Alert, status["tenure"]);
        Assert.Equal(DriftCalculator.Alert, status["visits"]);
        Assert.Equal(DriftCalculator.Ok, status["spend"]);
        Assert.Equal(DriftCalculator.Ok, status["tickets"]);
        Assert.Equal(DriftCalculator.Alert, report.Status);

        var visits = report.Features.Single(f => f.Name == "visits");
        Assert.InRange(visits.MissingReference, 0.04, 0.06);
        Assert.InRange(visits.MissingLive, 0.38, 0.42);
        var tenure = report.Features.Single(f => f.Name == "tenure");
        Assert.InRange(tenure.JensenShannon, 0.1, 0.5);
        Assert.Equal((0.1, 0.2), (tenure.Warn, tenure.Alert));

        // A variable with thresholds of its own is judged by them; the others by the model's.
        var lenient = new Dictionary<string, DriftThresholds> { ["tenure"] = new(Warn: 5, Alert: 10), [ReferenceProfile.ScoreName] = new(Warn: 5, Alert: 10) };
        var judged = DriftCalculator.Compare(reference, report.LiveRows, Counts(reference, new Random(7), 20_000, 0.5, 0.40), new DriftThresholds(), lenient);
        Assert.Equal(DriftCalculator.Ok, judged.Features.Single(f => f.Name == "tenure").Status);
        Assert.Equal(5, judged.Features.Single(f => f.Name == "tenure").Warn);
        Assert.Equal(DriftCalculator.Ok, judged.Score!.Status);
        Assert.Equal(DriftCalculator.Alert, judged.Features.Single(f => f.Name == "visits").Status);
        Assert.Equal(DriftCalculator.Alert, judged.Status);
    }

    [Fact]
    public void A_window_with_too_few_rows_gives_no_verdict()
    {
        var reference = Reference(new Random(1));
        var report = Live(reference, new Random(2), 100, shift: 2, missingVisits: 0.05);
        Assert.Equal(DriftCalculator.InsufficientData, report.Status);
        Assert.All(report.Features, f => Assert.Equal(DriftCalculator.InsufficientData, f.Status));
    }

    [Fact]
    public void A_recorder_makes_a_reference_from_its_first_rows_then_counts_per_hour_once_it_has_the_stored_one()
    {
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero));
        var recorder = new ProfileRecorder("m", "1.0.0", Names, referenceRows: 300, clock);
        var random = new Random(4);
        var (matrix, scores) = Rows(random, 200, 0, 0.05);
        recorder.Record(matrix, scores, 200, 1);
        Assert.Null(recorder.BuiltReference);
        (matrix, scores) = Rows(random, 200, 0, 0.05);
        recorder.Record(matrix, scores, 200, 1);
        var built = recorder.BuiltReference;
        Assert.NotNull(built);
        Assert.Same(built, recorder.BuiltReference);
        Assert.Equal(300, built.Rows);
        Assert.Equal(ReferenceProfile.FirstScoredRows, built.Source);
        Assert.Equal(ReferenceProfile.ScoreName, built.Score!.Name);
        Assert.Empty(recorder.TakeChanged());

        // Its own reference stored: the rows it was made from are not counted again as live ones.
        recorder.Use(built);
        Assert.Null(recorder.BuiltReference);
        Assert.Empty(recorder.TakeChanged());
        (matrix, scores) = Rows(random, 50, 0, 0.05);
        recorder.Record(matrix, scores, 50, 1);
        clock.Advance(TimeSpan.FromHours(1));
        recorder.Record(matrix, scores, 50, 1);
        recorder.Record(matrix, scores, 50, 1);
        var hours = recorder.TakeChanged();
        Assert.Equal([50L, 100L], hours.Select(h => h.Rows));
        Assert.Equal(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc), hours[0].HourStart);
        Assert.All(hours, h => Assert.Equal(built.Slots, h.Counts.Length));
        // Every feature's slots and the score's hold each row once.
        Assert.Equal(100L * (Names.Length + 1), hours[1].Counts.Sum());

        // Only hours that changed are taken again; an hour written and forgotten is never started again from
        // nothing, even by a row whose clock read the hour before.
        recorder.Forget(hours[1].HourStart);
        Assert.Empty(recorder.TakeChanged());
        clock.Advance(TimeSpan.FromHours(-1));
        recorder.Record(matrix, scores, 50, 1);
        var again = Assert.Single(recorder.TakeChanged());
        Assert.Equal(hours[1].HourStart, again.HourStart);
        Assert.Equal(150L, again.Rows);
    }

    [Fact]
    public void Rows_kept_before_another_replicas_reference_is_known_are_counted_and_a_fault_never_reaches_the_caller()
    {
        var recorder = new ProfileRecorder("m", "1.0.0", Names, referenceRows: 10_000);
        var (matrix, scores) = Rows(new Random(5), 150, 0, 0.05);
        recorder.Record(matrix, scores, 150, 1);
        Assert.Null(recorder.BuiltReference);

        recorder.Use(Reference(new Random(1)));
        Assert.Equal(150L, Assert.Single(recorder.TakeChanged()).Rows);

        // Five rows claimed, one given: counting fails, the call returns, the fault is counted.
        recorder.Record(matrix.AsSpan(0, Names.Length), scores.AsSpan(0, 1), 5, 1);
        Assert.Equal(1, recorder.Faults);
        Assert.Throws<InvalidDataException>(() => new ProfileRecorder("m", "1.0.0", ["one"], 100).Use(Reference(new Random(1))));
    }

    private static ReferenceProfile Reference(Random random)
    {
        var (matrix, scores) = Rows(random, 10_000, 0, 0.05);
        return ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, Names, matrix, scores, DateTime.UtcNow);
    }

    private static DriftReport Live(ReferenceProfile reference, Random random, int rows, double shift, double missingVisits) =>
        DriftCalculator.Compare(reference, rows, Counts(reference, random, rows, shift, missingVisits), new DriftThresholds());

    /// <summary>Live rows counted in the reference's bins, as a recorder counts them.</summary>
    private static long[] Counts(ReferenceProfile reference, Random random, int rows, double shift, double missingVisits)
    {
        var recorder = new ProfileRecorder("m", "1.0.0", Names, referenceRows: 100);
        recorder.Use(reference);
        for (int done = 0; done < rows; done += 1_000)
        {
            int batch = Math.Min(1_000, rows - done);
            var (matrix, scores) = Rows(random, batch, shift, missingVisits);
            recorder.Record(matrix, scores, batch, 1);
        }

        var hours = recorder.TakeChanged();
        var counts = new long[reference.Slots];
        foreach (var hour in hours)
        {
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] += hour.Counts[i];
            }
        }

        return counts;
    }

    /// <summary>
    /// Rows of four features: tenure normal (shifted by <paramref name="shift"/> standard deviations), visits
    /// Poisson-like counts missing at <paramref name="missingVisits"/>, spend log-normal, tickets mostly zero;
    /// the score a logistic of tenure.
    /// </summary>
    private static (float[] Matrix, float[] Scores) Rows(Random random, int rows, double shift, double missingVisits)
    {
        var matrix = new float[rows * Names.Length];
        var scores = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            double tenure = Normal(random) + shift;
            matrix[(r * 4) + 0] = (float)tenure;
            matrix[(r * 4) + 1] = random.NextDouble() < missingVisits ? float.NaN : (float)Math.Floor(Math.Abs(Normal(random) * 3));
            matrix[(r * 4) + 2] = (float)Math.Exp(Normal(random));
            matrix[(r * 4) + 3] = random.NextDouble() < 0.8 ? 0 : random.Next(1, 5);
            scores[r] = (float)(1 / (1 + Math.Exp(-tenure)));
        }

        return (matrix, scores);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
