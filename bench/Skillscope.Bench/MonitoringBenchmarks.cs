using BenchmarkDotNet.Attributes;
using Skillscope.Scoring.Monitoring;

namespace Skillscope.Bench;

/// <summary>
/// What monitoring adds to scoring: counting a batch of scored rows (26 features, 10 % missing, and the
/// score) in a version's reference bins, as every scoring path does after the trees have run.
/// </summary>
[MemoryDiagnoser]
public class MonitoringBenchmarks
{
    private const int Features = 26;

    private ProfileRecorder _recorder = null!;
    private float[] _rows = [];
    private float[] _scores = [];

    [Params(1, 100)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(11);
        string[] names = [.. Enumerable.Range(0, Features).Select(f => $"f{f}")];
        (float[] Matrix, float[] Scores) Make(int rows)
        {
            var matrix = new float[rows * Features];
            var scores = new float[rows];
            for (int i = 0; i < matrix.Length; i++)
            {
                matrix[i] = random.NextDouble() < 0.1 ? float.NaN : (float)(random.NextDouble() * 100);
            }

            for (int r = 0; r < rows; r++)
            {
                scores[r] = (float)random.NextDouble();
            }

            return (matrix, scores);
        }

        var (reference, referenceScores) = Make(10_000);
        _recorder = new ProfileRecorder("model", "1.0.0", names, referenceRows: 10_000);
        _recorder.Use(ProfileBuilder.Build(ReferenceProfile.FirstScoredRows, names, reference, referenceScores, DateTime.UtcNow));
        (_rows, _scores) = Make(Rows);
    }

    [Benchmark]
    public void CountScoredRows() => _recorder.Record(_rows, _scores, Rows, 1);
}
