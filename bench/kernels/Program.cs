using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Skillscope.Trees;
using Skillscope.Trees.Prediction;

// The tree engine's kernels on bench/compare-xgboost's workload (seven 200-tree depth-6 models, 26 features),
// timed with a Stopwatch, best of repeated rounds; prints one JSON line. Built against either revision's engine,
// so it reaches what only the newer one has (the batch explanation) by reflection.
string folder = args.Length > 0 ? args[0] : "bench/out";
double budget = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
const int Features = 26;

long before = GC.GetTotalMemory(forceFullCollection: true);
var models = Enumerable.Range(0, 7).Select(k => XgboostModel.Load(Path.Combine(folder, $"skill_{k}.json"))).ToArray();
var predictors = models.Select(m => m.Predictor).ToArray();
var rows = new float[10_000 * Features];
using (var file = File.OpenRead(Path.Combine(folder, "rows.f32")))
{
    var bytes = new byte[rows.Length * sizeof(float)];
    file.ReadExactly(bytes);
    Buffer.BlockCopy(bytes, 0, rows, 0, bytes.Length);
}

var explainBatch = typeof(TreePredictor).GetMethod("PredictRowsContributions");
var explainers = predictors.Select(p => explainBatch is null ? null : (Explain)Delegate.CreateDelegate(typeof(Explain), p, explainBatch)).ToArray();
int width = predictors[0].ContributionWidth;
var contributions = new float[100 * width];
var outputs = new float[rows.Length / Features];
var single = new float[1];

// Every structure a served model builds: its predictor, its layouts, its explanation tables.
for (int m = 0; m < predictors.Length; m++)
{
    predictors[m].PredictBatch(rows.AsSpan(0, 100 * Features), outputs.AsSpan(0, 100));
    ExplainHundred(m);
}

long loaded = GC.GetTotalMemory(forceFullCollection: true) - before - (rows.Length * sizeof(float)) - (outputs.Length * sizeof(float)) - (contributions.Length * sizeof(float));

var result = new Dictionary<string, double>
{
    ["one_row_seven_models_us"] = Best(() =>
    {
        for (int i = 0; i < 100; i++)
        {
            foreach (var p in predictors)
            {
                p.Predict(rows.AsSpan(0, Features), single);
            }
        }
    }) / 100 * 1e6,
    ["rows_10000_seven_models_us_per_row"] = Best(() =>
    {
        foreach (var p in predictors)
        {
            p.PredictBatch(rows, outputs, 1);
        }
    }) / 10_000 * 1e6,
    ["rows_100_seven_models_us_per_row"] = Best(() =>
    {
        foreach (var p in predictors)
        {
            p.PredictBatch(rows.AsSpan(0, 100 * Features), outputs.AsSpan(0, 100), 1);
        }
    }) / 100 * 1e6,
    ["shap_top5_100_rows_seven_models_ms"] = Best(() =>
    {
        for (int m = 0; m < predictors.Length; m++)
        {
            ExplainHundred(m);
            TopFive();
        }
    }) * 1e3,
    ["memory_per_model_kib"] = loaded / 7.0 / 1024,
};
Console.WriteLine(JsonSerializer.Serialize(result));
return 0;

void ExplainHundred(int m)
{
    if (explainers[m] is { } batch)
    {
        batch(rows.AsSpan(0, 100 * Features), contributions);
        return;
    }

    for (int r = 0; r < 100; r++)
    {
        predictors[m].PredictRowContributions(rows.AsSpan(r * Features, Features), contributions.AsSpan(r * width, width));
    }
}

// The five largest contributions of each row, as evidence is chosen.
void TopFive()
{
    Span<int> order = stackalloc int[Features];
    Span<float> magnitude = stackalloc float[Features];
    for (int r = 0; r < 100; r++)
    {
        for (int f = 0; f < Features; f++)
        {
            order[f] = f;
            magnitude[f] = -Math.Abs(contributions[(r * width) + f]);
        }

        magnitude.Sort(order);
    }
}

double Best(Action action)
{
    action();
    double best = double.MaxValue;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < budget)
    {
        long start = Stopwatch.GetTimestamp();
        action();
        best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    return best;
}

internal delegate void Explain(ReadOnlySpan<float> rows, Span<float> contributions);
