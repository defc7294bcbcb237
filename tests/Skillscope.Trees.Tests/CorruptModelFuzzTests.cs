using System.Diagnostics;
using Skillscope.Trees.Explanation;
using Skillscope.Trees.Model;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// Feeds the loader thousands of damaged copies of real model files. A corrupt upload must end in a
/// <see cref="TreeModelException"/>; anything the loader accepts must then score without any other exception.
/// The seed is fixed so a failure reproduces.
/// </summary>
public sealed class CorruptModelFuzzTests
{
    private const int MutantsPerFile = 400;

    public static TheoryData<string> ModelFiles()
    {
        var data = new TheoryData<string>();
        foreach (var name in new[] { "binary_logistic", "categorical_partition", "dart", "gblinear", "multi_softprob", "deep_lossguide" })
        {
            data.Add(Path.Combine(name, "model.json"));
            data.Add(Path.Combine(name, "model.ubj"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ModelFiles))]
    public void Damaged_model_files_are_refused_or_score_safely(string relativePath)
    {
        byte[] original = File.ReadAllBytes(Path.Combine(ParityCase.Root, relativePath));
        var random = new Random(relativePath.Length * 7919 + original.Length);
        var clock = Stopwatch.StartNew();
        int accepted = 0;
        for (int i = 0; i < MutantsPerFile; i++)
        {
            byte[] mutant = Mutate(original, random);
            XgboostModel model;
            try
            {
                model = XgboostModel.Load(mutant);
            }
            catch (TreeModelException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"mutant {i} of {relativePath} escaped as {e.GetType().Name}: {e.Message}");
                return;
            }

            accepted++;
            ScoreEverything(model, random);
        }

        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), $"fuzzing {relativePath} took {clock.Elapsed}");
        Assert.True(accepted < MutantsPerFile, "no mutant was refused: the mutation is not reaching the parser");
    }

    private static void ScoreEverything(XgboostModel model, Random random)
    {
        var predictor = model.CreatePredictor();
        int features = predictor.FeatureCount;
        var rows = new float[features * 3];
        for (int i = 0; i < rows.Length; i++)
        {
            rows[i] = (i % 5) switch
            {
                0 => float.NaN,
                1 => float.PositiveInfinity,
                _ => (float)(random.NextDouble() * 20 - 10),
            };
        }

        var output = new float[3 * predictor.OutputWidth];
        predictor.PredictBatch(rows, output);
        predictor.PredictMarginBatch(rows, new float[3 * predictor.GroupCount]);
        predictor.PredictContributions(rows, new float[3 * predictor.ContributionWidth]);
        if (model.Booster != BoosterKind.GbLinear)
        {
            predictor.PredictLeaves(rows, new int[3 * predictor.TreeCount]);
        }

        foreach (var type in Enum.GetValues<ImportanceType>())
        {
            try
            {
                _ = model.GetImportance(type);
            }
            catch (TreeModelException)
            {
                // A linear model has no tree importances; refusing is the documented behaviour.
            }
        }
    }

    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = (byte[])original.Clone();
        switch (random.Next(4))
        {
            case 0:
                // Flip a handful of bytes anywhere.
                for (int k = random.Next(1, 6); k > 0; k--)
                {
                    bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
                }

                return bytes;
            case 1:
                // Cut the file short.
                return bytes[..random.Next(bytes.Length)];
            case 2:
                // Replace a digit with another digit: values stay parseable but change meaning.
                for (int k = random.Next(1, 4); k > 0; k--)
                {
                    int at = random.Next(bytes.Length);
                    if (bytes[at] is >= (byte)'0' and <= (byte)'9')
                    {
                        bytes[at] = (byte)('0' + random.Next(10));
                    }
                }

                return bytes;
            default:
                // Duplicate a slice into another place.
                int start = random.Next(bytes.Length);
                int length = Math.Min(random.Next(1, 64), bytes.Length - start);
                int target = random.Next(bytes.Length - length);
                Array.Copy(original, start, bytes, target, length);
                return bytes;
        }
    }
}
