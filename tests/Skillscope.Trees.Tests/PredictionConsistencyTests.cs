using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// Every kernel and thread count must give bit-identical results: a row's margin is the same float sum in
/// tree order however it is computed.
/// </summary>
public sealed class PredictionConsistencyTests
{
    [Theory]
    [InlineData("binary_logistic")]
    [InlineData("multi_softprob")]
    [InlineData("categorical_partition")]
    [InlineData("dart")]
    public void Per_tree_outputs_sum_in_tree_order_to_the_margin(string name)
    {
        var fixture = ParityCase.Load(name);
        var model = XgboostModel.Load(fixture.ModelPath("json"));
        var predictor = model.Predictor;
        var outputs = new float[predictor.TreeCount];
        var margins = new float[predictor.GroupCount];
        foreach (int r in fixture.ScoredRows.Take(50))
        {
            predictor.PredictTreeOutputs(fixture.Rows[r], outputs);
            predictor.PredictMargin(fixture.Rows[r], margins);
            var sums = model.BaseMargins.ToArray();

            for (int t = 0; t < outputs.Length; t++)
            {
                sums[predictor.TreeGroup(t)] += outputs[t];
            }

            Assert.Equal(margins, sums);
        }
    }

    [Theory]
    [InlineData("binary_logistic")]
    [InlineData("multi_softprob")]
    [InlineData("categorical_partition")]
    [InlineData("deep_lossguide")]
    [InlineData("dart")]
    [InlineData("gblinear_softprob")]
    public void Large_parallel_batches_equal_row_by_row_scoring_bit_for_bit(string name)
    {
        var fixture = ParityCase.Load(name);
        var predictor = XgboostModel.Load(fixture.ModelPath("json")).Predictor;
        // 5,003 rows: several parallel tasks, whole 64-row blocks, 8-row groups and a ragged tail.
        var (tiled, rows) = Tile(fixture, 5003);

        var parallel = new float[tiled.Length * predictor.GroupCount];
        var serial = new float[parallel.Length];
        predictor.PredictMarginBatch(rows, parallel, maxThreads: 2);
        predictor.PredictMarginBatch(rows, serial, maxThreads: 1);

        var single = new float[predictor.GroupCount];
        for (int r = 0; r < tiled.Length; r++)
        {
            predictor.PredictMargin(tiled[r], single);
            Assert.Equal(single, parallel.AsSpan(r * single.Length, single.Length).ToArray());
        }

        Assert.Equal(serial, parallel);
    }

    [Theory]
    [InlineData("binary_logistic")]
    [InlineData("multi_softprob")]
    [InlineData("categorical_partition")]
    [InlineData("deep_lossguide")]
    [InlineData("dart")]
    public void Scoring_with_tree_outputs_equals_scoring_and_the_per_row_outputs_bit_for_bit(string name)
    {
        var fixture = ParityCase.Load(name);
        var model = XgboostModel.Load(fixture.ModelPath("json"));
        var predictor = model.Predictor;
        // 203 rows: whole 64-row blocks, 8-row groups and a ragged tail walked row by row.
        var (tiled, rows) = Tile(fixture, 203);

        var expected = new float[tiled.Length * predictor.OutputWidth];
        predictor.PredictBatch(rows, expected);
        var output = new float[expected.Length];
        var treeOutputs = new float[tiled.Length * predictor.TreeCount];
        Array.Fill(treeOutputs, float.NaN);
        predictor.PredictBatchWithTreeOutputs(rows, output, treeOutputs);

        Assert.Equal(expected, output);
        var single = new float[predictor.TreeCount];
        var leaves = new int[predictor.TreeCount];
        for (int r = 0; r < tiled.Length; r++)
        {
            // The node-by-node walker's leaves are the reference for what each tree adds.
            predictor.PredictLeaves(tiled[r], leaves);
            var walked = leaves.Select((leaf, t) => model.Trees[t].SplitConditions[leaf] * model.TreeWeights[t]).ToArray();
            predictor.PredictTreeOutputs(tiled[r], single);
            Assert.Equal(walked, single);
            Assert.Equal(walked, treeOutputs.AsSpan(r * single.Length, single.Length).ToArray());
        }
    }

    [Fact]
    public void A_single_row_prediction_allocates_nothing()
    {
        var fixture = ParityCase.Load("multi_softmax");
        var predictor = XgboostModel.Load(fixture.ModelPath("json")).Predictor;
        var row = fixture.Rows[0];
        var output = new float[predictor.OutputWidth];
        var margins = new float[predictor.GroupCount];
        predictor.Predict(row, output);
        predictor.PredictMargin(row, margins);

        // Three rounds of 1,000 calls: an allocation per call shows in every round, while the runtime's one-off
        // work on this thread (a method recompiled at a higher tier) can land in one (seen once).
        long fewest = long.MaxValue;
        for (int round = 0; round < 3 && fewest > 0; round++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 1000; i++)
            {
                predictor.Predict(row, output);
                predictor.PredictMargin(row, margins);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void The_default_predictor_uses_best_iteration_and_all_rounds_are_available_on_request()
    {
        var fixture = ParityCase.Load("early_stopping");
        var model = XgboostModel.Load(fixture.ModelPath("json"));

        Assert.NotNull(model.BestIteration);
        Assert.Equal(model.BestIteration + 1, model.Predictor.TreeCount);
        Assert.Equal(model.TreeCount, model.CreatePredictor().TreeCount);
        Assert.Throws<TreeModelException>(() => model.CreatePredictor(model.IterationCount + 1));
    }

    /// <summary>The fixture's scored rows repeated to <paramref name="count"/> rows, one by one and as one row-major matrix.</summary>
    private static (float[][] Tiled, float[] Matrix) Tile(ParityCase fixture, int count)
    {
        var tiled = Enumerable.Range(0, count).Select(i => fixture.Rows[fixture.ScoredRows[i % fixture.ScoredRows.Length]]).ToArray();
        return (tiled, tiled.SelectMany(r => r).ToArray());
    }
}
