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
