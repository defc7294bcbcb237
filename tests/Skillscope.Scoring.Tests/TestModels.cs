using Skillscope.Scoring.Packages;
using Skillscope.Trees.Training;

namespace Skillscope.Scoring.Tests;

/// <summary>Small real models, trained here, for package and serving tests.</summary>
public static class TestModels
{
    public static readonly string[] FeatureNames = ["age", "visits", "score"];

    /// <summary>A binary model over <see cref="FeatureNames"/>; <paramref name="seed"/> varies its bytes.</summary>
    public static byte[] Binary(int seed = 1, int rounds = 5)
    {
        var random = new Random(seed);
        int rows = 400;
        var x = new float[rows * FeatureNames.Length];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int f = 0; f < FeatureNames.Length; f++)
            {
                x[(r * FeatureNames.Length) + f] = (float)(random.NextDouble() * 10);
            }

            y[r] = x[r * FeatureNames.Length] + x[(r * FeatureNames.Length) + 1] > 10 + random.NextDouble() ? 1 : 0;
        }

        var data = new TrainingData(x, y, FeatureNames.Length, featureNames: FeatureNames);
        var parameters = new TrainingParameters { Objective = "binary:logistic", NumRound = rounds, MaxDepth = 3, Seed = (ulong)seed, Threads = 1 };
        return GradientBoostingTrainer.Train(data, parameters).ToUbjson();
    }

    public static ModelPackage Package(string name = "lead_conversion", string version = "1.0.0", int seed = 1, FeatureSchema? schema = null) =>
        ModelPackage.Create(Binary(seed), new ModelMetadata { Name = name, Version = version, Created = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero) }, schema);
}
