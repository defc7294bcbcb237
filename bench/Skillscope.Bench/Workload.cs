using Skillscope.Trees;
using Skillscope.Trees.Prediction;

namespace Skillscope.Bench;

/// <summary>
/// The benchmark workload written by bench/compare_xgboost.py: seven skill-like models
/// (binary:logistic, 200 trees, depth 6, 26 features) and a million rows with 10% missing.
/// </summary>
internal sealed class Workload
{
    public const int FeatureCount = 26;

    private Workload(TreePredictor[] predictors, float[] rows)
    {
        Predictors = predictors;
        Rows = rows;
    }

    public TreePredictor[] Predictors { get; }

    public float[] Rows { get; }

    public static string DefaultFolder => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "out"));

    public static Workload Load(string? folder = null, int maxRows = 1_000_000)
    {
        folder ??= Environment.GetEnvironmentVariable("SKILLSCOPE_BENCH_DIR") ?? DefaultFolder;
        string rowsPath = Path.Combine(folder, "rows.f32");
        if (!File.Exists(rowsPath))
        {
            throw new FileNotFoundException($"no workload in {folder}: run bench/compare-xgboost once (it trains the models with XGBoost)");
        }

        var predictors = Enumerable.Range(0, 7)
            .Select(k => XgboostModel.Load(Path.Combine(folder, $"skill_{k}.json")).CreatePredictor())
            .ToArray();
        using var stream = File.OpenRead(rowsPath);
        int count = (int)Math.Min(stream.Length / sizeof(float), (long)maxRows * FeatureCount);
        var rows = new float[count];
        stream.ReadExactly(System.Runtime.InteropServices.MemoryMarshal.AsBytes(rows.AsSpan()));
        return new Workload(predictors, rows);
    }
}
