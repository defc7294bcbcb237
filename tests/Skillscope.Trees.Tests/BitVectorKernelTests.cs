using System.Runtime.Intrinsics;
using System.Text.Json.Nodes;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// The bit-vector kernel scores batches of 16 rows or more; single rows take the complete-tree walk. Every
/// output must be the same float to the bit, on rows built to sit exactly on thresholds and at the edges of
/// float32. CI runs this class again with AVX-512, then AVX2, then all SIMD turned off, so that the narrower
/// paths and the fallback are checked on a machine that has all three.
/// </summary>
public sealed class BitVectorKernelTests
{
    public static TheoryData<string> Fixtures() => [.. ParityCase.Names()];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Batches_equal_single_rows_bit_for_bit_on_edge_values(string name)
    {
        var fixture = ParityCase.Load(name);
        var model = XgboostModel.Load(fixture.ModelPath("json"));
        var predictor = model.Predictor;
        var rows = EdgeRows(model, fixture.Rows);
        var flat = rows.SelectMany(r => r).ToArray();

        // 1 to 64 rows per pass, a partial pass and the rows left to the walk.
        foreach (int count in new[] { rows.Length, 64, 79, 16, 15 }.Where(c => c <= rows.Length))
        {
            var batch = flat.AsSpan(0, count * model.FeatureCount);
            var margins = new float[count * predictor.GroupCount];
            predictor.PredictMarginBatch(batch, margins, maxThreads: 1);
            var single = new float[predictor.GroupCount];
            for (int r = 0; r < count; r++)
            {
                predictor.PredictMargin(rows[r], single);
                for (int g = 0; g < single.Length; g++)
                {
                    Assert.Equal(BitConverter.SingleToInt32Bits(single[g]), BitConverter.SingleToInt32Bits(margins[(r * single.Length) + g]));
                }
            }
        }

        if (model.TreeCount > 0)
        {
            var output = new float[rows.Length * predictor.OutputWidth];
            var treeOutputs = new float[rows.Length * predictor.TreeCount];
            predictor.PredictBatchWithTreeOutputs(flat, output, treeOutputs);
            var single = new float[predictor.TreeCount];
            for (int r = 0; r < rows.Length; r++)
            {
                predictor.PredictTreeOutputs(rows[r], single);
                Assert.Equal(single.Select(BitConverter.SingleToInt32Bits), treeOutputs.AsSpan(r * single.Length, single.Length).ToArray().Select(BitConverter.SingleToInt32Bits));
            }
        }
    }

    [Theory]
    [InlineData("binary_logistic", "bit-vector")]
    [InlineData("multi_softprob", "bit-vector")]
    [InlineData("dart", "bit-vector")]
    [InlineData("categorical_partition", "not bit-vector: tree 0 has categorical splits")]
    [InlineData("deep_lossguide", "leaves; the bit-vector kernel takes at most 64")]
    [InlineData("gblinear", "linear sum (a gblinear model has no trees)")]
    public void Each_model_says_which_kernel_scores_its_batches_and_why(string name, string expected)
    {
        var predictor = XgboostModel.Load(ParityCase.Load(name).ModelPath("json")).Predictor;

        if (!Vector128.IsHardwareAccelerated && expected == "bit-vector")
        {
            Assert.Contains("no SIMD instructions", predictor.BatchKernel);
            return;
        }

        Assert.Contains(expected, predictor.BatchKernel);
    }

    [Fact]
    public void A_feature_with_more_thresholds_than_a_byte_ranks_keeps_the_walk_and_says_so()
    {
        var document = ModelDocument.Load("multi_softmax");
        var trees = ModelDocument.Learner(document)["gradient_booster"]!["model"]!["trees"]!.AsArray();
        int distinct = 0;
        foreach (var tree in trees)
        {
            var features = tree!["split_indices"]!.AsArray();
            var conditions = tree["split_conditions"]!.AsArray();
            var left = tree["left_children"]!.AsArray();
            for (int node = 0; node < features.Count; node++)
            {
                if ((int)left[node]! >= 0)
                {
                    features[node] = 0;
                    conditions[node] = JsonValue.Create((float)(distinct++ * 0.01));
                }
            }
        }

        var model = ModelDocument.Reload(document);
        Assert.True(distinct > 255);
        Assert.Contains(Vector128.IsHardwareAccelerated ? $"feature 0 has {distinct} distinct thresholds" : "no SIMD instructions", model.Predictor.BatchKernel);
        var rows = Enumerable.Range(0, 40).Select(r => Enumerable.Range(0, model.FeatureCount).Select(f => (float)(((r * 7) + f) % 50) * 0.1f).ToArray()).ToArray();
        int groups = model.GroupCount;
        var margins = new float[rows.Length * groups];
        model.Predictor.PredictMarginBatch(rows.SelectMany(r => r).ToArray(), margins);
        var single = new float[groups];
        for (int r = 0; r < rows.Length; r++)
        {
            model.Predictor.PredictMargin(rows[r], single);
            Assert.Equal(single, margins.AsSpan(r * groups, groups).ToArray());
        }
    }

    /// <summary>
    /// The fixture's rows, then rows where a split's feature takes the split's exact threshold and the float just
    /// below it, and rows where each feature in turn is ±∞, ±0, the largest floats or NaN; the other features
    /// are kept from a fixture row.
    /// </summary>
    private static float[][] EdgeRows(XgboostModel model, float[][] source)
    {
        var splits = new SortedSet<(int Feature, float Threshold)>();
        foreach (var tree in model.Trees)
        {
            for (int node = 0; node < tree.NodeCount; node++)
            {
                if (tree.SplitFeatures[node] >= 0 && tree.RightCategories[node] is null)
                {
                    splits.Add((tree.SplitFeatures[node], tree.SplitConditions[node]));
                }
            }
        }

        var edges = new List<(int Feature, float Value)>();
        int step = Math.Max(1, splits.Count / 60);
        foreach (var (feature, threshold) in splits.Where((_, i) => i % step == 0))
        {
            edges.Add((feature, threshold));
            edges.Add((feature, MathF.BitDecrement(threshold)));
        }

        for (int f = 0; f < model.FeatureCount; f++)
        {
            foreach (float special in new[] { float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.MaxValue, float.MinValue, float.NaN })
            {
                edges.Add((f, special));
            }
        }

        var rows = new List<float[]>(source);
        for (int i = 0; i < edges.Count; i++)
        {
            var row = (float[])source[i % source.Length].Clone();
            row[edges[i].Feature] = edges[i].Value;
            rows.Add(row);
        }

        return [.. rows];
    }
}
