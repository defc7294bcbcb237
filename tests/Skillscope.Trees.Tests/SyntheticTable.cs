using Skillscope.Trees.Training;

namespace Skillscope.Trees.Tests;

/// <summary>Seeded tabular data with a known signal, for training tests: interactions, a step, missing values.</summary>
internal static class SyntheticTable
{
    public static TrainingData Create(int rows, string objective, int seed = 1, int features = 8, double missing = 0.05, int classes = 3, bool weighted = false)
    {
        var random = new Random(seed);
        var weightRandom = new Random(seed + 1);
        var x = new float[rows * features];
        var labels = new float[rows];
        var weights = weighted ? new float[rows] : null;
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < features; f++)
            {
                x[(r * features) + f] = random.NextDouble() < missing ? float.NaN : (float)Normal(random);
            }

            double Value(int f) => float.IsNaN(x[(r * features) + f]) ? 0 : x[(r * features) + f];
            double signal = (1.2 * Value(0)) - Value(1) + (0.8 * Value(2) * Value(3)) + (Value(4) > 0.5 ? 0.7 : 0);
            labels[r] = objective switch
            {
                "binary:logistic" => random.NextDouble() < 1 / (1 + Math.Exp(-signal)) ? 1 : 0,
                "reg:logistic" => (float)(1 / (1 + Math.Exp(-signal))),
                "count:poisson" => Poisson(random, Math.Exp(0.5 * signal)),
                "multi:softprob" or "multi:softmax" => Math.Clamp((int)Math.Floor((signal + 1.5) / 3 * classes), 0, classes - 1),
                _ => (float)(signal + (0.3 * Normal(random))),
            };
            if (weights is not null)
            {
                weights[r] = (float)(0.5 + weightRandom.NextDouble());
            }
        }

        var names = Enumerable.Range(0, features).Select(f => $"f{f}").ToArray();
        return new TrainingData(x, labels, features, names, weights);
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static float Poisson(Random random, double mean)
    {
        double limit = Math.Exp(-Math.Min(mean, 30)), product = random.NextDouble();
        int count = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            count++;
        }

        return count;
    }
}
