using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>Rows of several versions, scored a batch per version, come back to their own items with the outputs each row gets alone.</summary>
public sealed class BatchScorerTests
{
    [Fact]
    public void Each_row_gets_the_output_and_tree_contributions_it_gets_alone_from_its_own_version()
    {
        var first = Loaded("1.0.0", seed: 1);
        var second = Loaded("2.0.0", seed: 7);
        float[][] rows = [[1, 2, 3], [4, 5, 6], [float.NaN, 1, 0], [7, 8, 9]];
        var batches = new BatchScorer<int>();
        for (int i = 0; i < rows.Length; i++)
        {
            batches.Add(i % 2 == 0 ? first : second, i, rows[i]);
        }

        var sizes = new Dictionary<string, int>();
        var outputs = new float[rows.Length];
        var trees = new float[rows.Length][];
        batches.Score(
            (model, item, values, scores, perTree, _) =>
            {
                Assert.Same(rows[item], values);
                Assert.Same(item % 2 == 0 ? first : second, model);
                outputs[item] = scores[0];
                trees[item] = perTree.ToArray();
            },
            (model, count) => sizes[model.Version] = count,
            treeOutputs: true);

        Assert.Equal(new Dictionary<string, int> { ["1.0.0"] = 2, ["2.0.0"] = 2 }, sizes);
        for (int i = 0; i < rows.Length; i++)
        {
            var model = i % 2 == 0 ? first : second;
            var alone = new float[1];
            var aloneTrees = new float[model.Scorer.TreeCount];
            model.Scorer.ScoreBatch(rows[i], alone, aloneTrees);
            Assert.Equal(alone[0], outputs[i]);
            Assert.Equal(aloneTrees, trees[i]);
        }
    }

    [Fact]
    public void The_features_that_moved_each_row_are_those_it_gets_alone()
    {
        var model = Loaded("1.0.0", seed: 3);
        var random = new Random(11);
        var rows = Enumerable.Range(0, 150).Select(_ => new[] { (float)random.NextDouble() * 10, random.Next(4) == 0 ? float.NaN : (float)random.NextDouble(), (float)random.NextDouble() * 5 }).ToArray();
        var batches = new BatchScorer<int>();
        for (int i = 0; i < rows.Length; i++)
        {
            batches.Add(model, i, rows[i]);
        }

        var tops = new IReadOnlyList<FeatureContribution>[rows.Length];
        batches.Score((_, item, _, _, _, top) => tops[item] = top, topContributions: 2);

        for (int i = 0; i < rows.Length; i++)
        {
            var alone = model.Scorer.TopContributions(rows[i], model.Scorer.Score(rows[i]), 2);
            Assert.Equal(alone.Select(c => (c.Feature, c.Value)), tops[i].Select(c => (c.Feature, c.Value)));
            Assert.Equal(alone.Select(c => (double)c.Contribution), tops[i].Select(c => (double)c.Contribution), (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)));
        }
    }

    [Fact]
    public void A_multi_class_model_explains_the_largest_score_or_on_request_the_first_output()
    {
        var random = new Random(5);
        int rowCount = 300, features = TestModels.FeatureNames.Length;
        var x = Enumerable.Range(0, rowCount * features).Select(_ => (float)(random.NextDouble() * 10)).ToArray();
        var y = Enumerable.Range(0, rowCount).Select(r => (float)((int)(x[r * features] + x[(r * features) + 1]) % 3)).ToArray();
        var parameters = new Trees.Training.TrainingParameters { Objective = "multi:softprob", NumClass = 3, NumRound = 4, MaxDepth = 3, Threads = 1 };
        var bytes = Trees.Training.GradientBoostingTrainer.Train(new Trees.Training.TrainingData(x, y, features, featureNames: TestModels.FeatureNames), parameters).ToUbjson();
        var package = Packages.ModelPackage.Create(bytes, new Packages.ModelMetadata { Name = "classes", Version = "1.0.0", Created = DateTimeOffset.UnixEpoch }, null);
        var model = new LoadedModel(new ModelVersionRecord("classes", "1.0.0", package.Sha256, package.ModelSha256, "", "{}", DateTime.UtcNow, "test"), package);
        var rows = Enumerable.Range(0, 40).Select(r => x.AsSpan(r * features, features).ToArray()).ToArray();

        foreach (bool firstOutput in new[] { false, true })
        {
            var batches = new BatchScorer<int>();
            for (int i = 0; i < rows.Length; i++)
            {
                batches.Add(model, i, rows[i]);
            }

            var tops = new IReadOnlyList<FeatureContribution>[rows.Length];
            batches.Score((_, item, _, _, _, top) => tops[item] = top, topContributions: 3, firstOutput: firstOutput);
            for (int i = 0; i < rows.Length; i++)
            {
                var scores = model.Scorer.Score(rows[i]);
                var alone = model.Scorer.TopContributions(rows[i], firstOutput ? scores.AsSpan(0, 1) : scores, 3);
                Assert.Equal(alone.Select(c => c.Feature), tops[i].Select(c => c.Feature));
                Assert.Equal(alone.Select(c => (double)c.Contribution), tops[i].Select(c => (double)c.Contribution), (a, b) => Math.Abs(a - b) <= 1e-5 * Math.Max(1, Math.Abs(a)));
            }
        }
    }

    [Fact]
    public void Nothing_added_is_nothing_scored()
    {
        var batches = new BatchScorer<int>();
        Assert.True(batches.IsEmpty);
        batches.Score((_, _, _, _, _, _) => Assert.Fail("no row was added"));
    }

    private static LoadedModel Loaded(string version, int seed)
    {
        var package = TestModels.Package(version: version, seed: seed);
        return new LoadedModel(new ModelVersionRecord("lead_conversion", version, package.Sha256, package.ModelSha256, "", "{}", DateTime.UtcNow, "test"), package);
    }
}
