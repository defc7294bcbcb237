namespace Skillscope.Bench;

/// <summary>Rows as the monitoring benchmarks score them: 26 features uniform on 0–100, 10 % missing, and a score per row.</summary>
internal static class ScoredRows
{
    public const int Features = 26;

    public static string[] Names { get; } = [.. Enumerable.Range(0, Features).Select(f => $"f{f}")];

    public static (float[] Matrix, float[] Scores) Make(Random random, int rows)
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
}
