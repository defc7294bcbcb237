using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Skillscope.Bench;

/// <summary>
/// The Skillscope half of bench/compare-xgboost: times all seven models over each batch size with a
/// Stopwatch (as the Python half times XGBoost) and prints seconds per call-set as one JSON line.
/// </summary>
internal static class CompareRunner
{
    public static int Run(string[] args)
    {
        string folder = Option(args, "--models") ?? Workload.DefaultFolder;
        int threads = int.Parse(Option(args, "--threads") ?? "1", CultureInfo.InvariantCulture);
        double budget = double.Parse(Option(args, "--budget") ?? "2", CultureInfo.InvariantCulture);
        int[] batches = (Option(args, "--batches") ?? "1,100,10000,1000000").Split(',').Select(int.Parse).ToArray();
        var workload = Workload.Load(folder, batches.Max());
        var results = new Dictionary<string, double>();
        foreach (int n in batches)
        {
            results[n.ToString(CultureInfo.InvariantCulture)] = n == 1
                ? TimeSingleRow(workload, budget)
                : TimeBatch(workload, n, threads, budget);
        }

        Console.WriteLine(JsonSerializer.Serialize(results));
        return 0;
    }

    private static double TimeSingleRow(Workload workload, double budget)
    {
        var row = workload.Rows.AsSpan(0, Workload.FeatureCount).ToArray();
        Span<float> output = stackalloc float[1];
        for (int warm = 0; warm < 20_000; warm++)
        {
            foreach (var predictor in workload.Predictors)
            {
                predictor.Predict(row, output);
            }
        }

        long calls = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < budget)
        {
            for (int i = 0; i < 1000; i++)
            {
                foreach (var predictor in workload.Predictors)
                {
                    predictor.Predict(row, output);
                }
            }

            calls += 1000;
        }

        return clock.Elapsed.TotalSeconds / calls;
    }

    private static double TimeBatch(Workload workload, int n, int threads, double budget)
    {
        var rows = workload.Rows.AsMemory(0, n * Workload.FeatureCount);
        var output = new float[n];
        foreach (var predictor in workload.Predictors)
        {
            predictor.PredictBatch(rows.Span[..Math.Min(rows.Length, 8192 * Workload.FeatureCount)], output, threads);
        }

        long calls = 0;
        var clock = Stopwatch.StartNew();
        do
        {
            foreach (var predictor in workload.Predictors)
            {
                predictor.PredictBatch(rows.Span, output, threads);
            }

            calls++;
        }
        while (clock.Elapsed.TotalSeconds < budget && !(n >= 1_000_000 && calls >= 3));

        return clock.Elapsed.TotalSeconds / calls;
    }

    private static string? Option(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
