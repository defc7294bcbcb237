using System.Diagnostics;
using System.Globalization;
using System.Linq.Expressions;
using Skillscope.Trees;
using Skillscope.Trees.Model;

namespace Skillscope.Bench;

/// <summary>
/// Issue 21's compiled path, measured: each model's trees generated at load as one expression (nested
/// conditionals, summed in tree order) and compiled to IL, against the engine's single-row walk, one row
/// through every model of bench/compare-xgboost's workload. Checks that both give the same margins to the
/// bit first. Numerical splits only (the workload's models have no categorical ones).
/// Usage: <c>compiled-path [FOLDER] [SECONDS]</c>.
/// </summary>
internal static class CompiledPath
{
    public static int Run(string[] args)
    {
        string folder = args.Length > 0 ? args[0] : "bench/out";
        double budget = args.Length > 1 ? double.Parse(args[1], CultureInfo.InvariantCulture) : 2;
        var models = Enumerable.Range(0, 7).Select(k => XgboostModel.Load(Path.Combine(folder, $"skill_{k}.json"))).ToArray();
        int features = models[0].FeatureCount;
        var rows = new float[1_000 * features];
        using (var file = File.OpenRead(Path.Combine(folder, "rows.f32")))
        {
            var bytes = new byte[rows.Length * sizeof(float)];
            file.ReadExactly(bytes);
            Buffer.BlockCopy(bytes, 0, rows, 0, bytes.Length);
        }

        var margin = new float[1];
        var row = new float[features];
        double walk = Best(budget, () =>
        {
            for (int r = 0; r < 100; r++)
            {
                foreach (var model in models)
                {
                    model.Predictor.PredictMargin(rows.AsSpan(r * features, features), margin);
                }
            }
        }) / 100;
        Console.WriteLine($"one row through seven models, the engine's walk: {walk * 1e6:F2} us");

        foreach (int treesPerMethod in new[] { 200, 25, 8, 1 })
        {
            var started = Stopwatch.StartNew();
            var compiled = models.Select(model => Compile(model, treesPerMethod)).ToArray();

            // The JIT compiles a generated method at its first call: that is part of making it.
            foreach (var model in compiled)
            {
                _ = model(row);
            }

            double compileSeconds = started.Elapsed.TotalSeconds;

            // Same margins to the bit on every row before anything is timed.
            for (int r = 0; r < 1_000; r++)
            {
                rows.AsSpan(r * features, features).CopyTo(row);
                for (int m = 0; m < models.Length; m++)
                {
                    models[m].Predictor.PredictMargin(row, margin);
                    float generated = compiled[m](row);
                    if (BitConverter.SingleToInt32Bits(generated) != BitConverter.SingleToInt32Bits(margin[0]))
                    {
                        Console.Error.WriteLine($"row {r}, model {m}: compiled {generated:R}, walk {margin[0]:R}");
                        return 1;
                    }
                }
            }

            double seconds = Best(budget, () =>
            {
                for (int r = 0; r < 100; r++)
                {
                    rows.AsSpan(r * features, features).CopyTo(row);
                    foreach (var model in compiled)
                    {
                        margin[0] = model(row);
                    }
                }
            }) / 100;
            Console.WriteLine($"compiled, {treesPerMethod,3} trees per method: {seconds * 1e6:F2} us ({walk / seconds:F2}x the walk's speed); compiling the seven took {compileSeconds:F2} s");
        }

        return 0;
    }

    /// <summary>
    /// The model as methods of <paramref name="treesPerMethod"/> trees each, called in order with the running
    /// sum. One method for all 200 trees is over the JIT's size limit for optimising (it compiles such a method
    /// unoptimised); small methods are optimised but pay a call each.
    /// </summary>
    private static Func<float[], float> Compile(XgboostModel model, int treesPerMethod)
    {
        if (model.GroupCount != 1)
        {
            throw new NotSupportedException("the compiled path is measured on models with one output");
        }

        // The trees the served predictor scores with (up to best_iteration when the model has one).
        int trees = model.Predictor.TreeCount;
        var parts = new List<Func<float[], float, float>>();
        for (int first = 0; first < trees; first += treesPerMethod)
        {
            var row = Expression.Parameter(typeof(float[]), "row");
            var start = Expression.Parameter(typeof(float), "sum");
            Expression sum = start;
            for (int t = first; t < Math.Min(trees, first + treesPerMethod); t++)
            {
                // Added one tree at a time, as the walk adds them, so that the float sums round alike.
                sum = Expression.Add(sum, Expression.Multiply(Node(model.Trees[t], 0, row), Expression.Constant(model.TreeWeights[t])));
            }

            parts.Add(Expression.Lambda<Func<float[], float, float>>(sum, row, start).Compile());
        }

        var methods = parts.ToArray();
        float baseMargin = model.BaseMargins[0];
        return row =>
        {
            float sum = baseMargin;
            foreach (var method in methods)
            {
                sum = method(row, sum);
            }

            return sum;
        };
    }

    private static Expression Node(RegressionTree tree, int node, ParameterExpression row)
    {
        if (tree.IsLeaf(node))
        {
            return Expression.Constant(tree.SplitConditions[node]);
        }

        if (tree.RightCategories[node] is not null || float.IsNaN(tree.SplitConditions[node]))
        {
            throw new NotSupportedException("the compiled path is measured on numerical splits with numerical thresholds only");
        }

        var value = Expression.ArrayIndex(row, Expression.Constant(tree.SplitFeatures[node]));
        var threshold = Expression.Constant(tree.SplitConditions[node]);

        // A missing value (NaN) fails every comparison: "x >= t" sends it left, "not x < t" right.
        Expression right = tree.DefaultLeft[node] ? Expression.GreaterThanOrEqual(value, threshold) : Expression.Not(Expression.LessThan(value, threshold));
        return Expression.Condition(right, Node(tree, tree.RightChildren[node], row), Node(tree, tree.LeftChildren[node], row));
    }

    private static double Best(double budget, Action action)
    {
        action();
        double best = double.MaxValue;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < budget)
        {
            var once = Stopwatch.StartNew();
            action();
            best = Math.Min(best, once.Elapsed.TotalSeconds);
        }

        return best;
    }
}
