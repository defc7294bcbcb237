using Skillscope.Trees.Explanation;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// Every model kind XGBoost 1.7.4 wrote (and the layouts of other versions), in JSON and UBJSON, must give
/// XGBoost's own numbers: predictions within 1e-6, margins within 1e-5, leaves exactly, contributions
/// within 1e-4 and importances within 1e-6 (relative to the value's size when it is larger than 1).
/// </summary>
public sealed class ParityTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string name in ParityCase.Names())
        {
            data.Add(name, "json");
            if (File.Exists(Path.Combine(ParityCase.Root, name, "model.ubj")))
            {
                data.Add(name, "ubj");
            }
        }

        return data;
    }

    [Fact]
    public void Fixtures_cover_every_booster_and_objective_the_engine_claims()
    {
        var names = ParityCase.Names().ToHashSet();
        foreach (string expected in new[]
                 {
                     "binary_logistic", "binary_logitraw", "binary_hinge", "reg_squarederror", "reg_logistic", "reg_absoluteerror",
                     "reg_pseudohubererror", "count_poisson", "reg_gamma", "reg_tweedie", "multi_softprob", "multi_softmax",
                     "rank_pairwise", "dart", "gblinear", "categorical_partition", "categorical_invalid_partition", "categorical_invalid_onehot", "early_stopping", "layout_v3_1", "layout_v3_3_dart",
                 })
        {
            Assert.Contains(expected, names);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Batch_margins_and_predictions_match_xgboost(string name, string format) =>
        AssertBatchMatches(ParityCase.Load(name), format);

    internal static void AssertBatchMatches(ParityCase fixture, string format)
    {
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        float[] rows = fixture.Flatten(fixture.ScoredRows);
        var margins = new float[fixture.ScoredRows.Length * predictor.GroupCount];
        var outputs = new float[fixture.ScoredRows.Length * predictor.OutputWidth];

        predictor.PredictMarginBatch(rows, margins);
        predictor.PredictBatch(rows, outputs);

        AssertClose(fixture.Margins, margins, 1e-5, "margin");
        AssertClose(fixture.Predictions, outputs, 1e-6, "prediction");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Single_row_calls_give_the_batch_numbers_exactly(string name, string format)
    {
        var fixture = ParityCase.Load(name);
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        float[] rows = fixture.Flatten(fixture.ScoredRows);
        var batch = new float[fixture.ScoredRows.Length * predictor.OutputWidth];
        predictor.PredictBatch(rows, batch, maxThreads: 1);
        var single = new float[predictor.OutputWidth];
        for (int i = 0; i < fixture.ScoredRows.Length; i++)
        {
            predictor.Predict(fixture.Rows[fixture.ScoredRows[i]], single);
            Assert.Equal(batch.AsSpan(i * single.Length, single.Length).ToArray(), single);
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Leaf_indices_match_xgboost_exactly(string name, string format) =>
        AssertLeavesMatch(ParityCase.Load(name), format);

    internal static void AssertLeavesMatch(ParityCase fixture, string format)
    {
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        if (fixture.Leaves is null)
        {
            Assert.Throws<TreeModelException>(() => predictor.PredictLeaves(fixture.Rows[0], new int[16]));
            return;
        }

        var leaves = new int[fixture.DMatrixRows.Length * predictor.TreeCount];
        predictor.PredictLeaves(fixture.Flatten(fixture.DMatrixRows), leaves);
        Assert.Equal(fixture.Leaves.SelectMany(r => r).ToArray(), leaves);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Contributions_match_xgboost_and_sum_to_the_margin(string name, string format) =>
        AssertContributionsMatch(ParityCase.Load(name), format);

    internal static void AssertContributionsMatch(ParityCase fixture, string format)
    {
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        float[] rows = fixture.Flatten(fixture.DMatrixRows);
        var contributions = new float[fixture.DMatrixRows.Length * predictor.ContributionWidth];
        predictor.PredictContributions(rows, contributions);
        AssertClose(fixture.Contributions, contributions, 1e-4, "contribution");

        var margins = new float[fixture.DMatrixRows.Length * predictor.GroupCount];
        predictor.PredictMarginBatch(rows, margins);
        int columns = predictor.FeatureCount + 1;
        for (int i = 0; i < margins.Length; i++)
        {
            if (!float.IsFinite(margins[i]))
            {
                continue; // a float32 overflow (huge input through gblinear): the parts are compared above
            }

            double sum = contributions.AsSpan(i * columns, columns).ToArray().Sum(v => (double)v);
            Assert.True(Math.Abs(sum - margins[i]) <= 1e-3 * Math.Max(1, Math.Abs(margins[i])), $"row-group {i}: contributions sum to {sum}, margin is {margins[i]}");
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tabulated_contributions_of_one_row_match_xgboost_too(string name, string format)
    {
        var fixture = ParityCase.Load(name);
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        float[] rows = fixture.Flatten(fixture.DMatrixRows);
        var contributions = new float[fixture.DMatrixRows.Length * predictor.ContributionWidth];
        for (int r = 0; r < fixture.DMatrixRows.Length; r++)
        {
            predictor.PredictRowContributions(rows.AsSpan(r * predictor.FeatureCount, predictor.FeatureCount),
                contributions.AsSpan(r * predictor.ContributionWidth, predictor.ContributionWidth));
        }

        AssertClose(fixture.Contributions, contributions, 1e-4, "tabulated contribution");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Tabulated_contributions_of_a_batch_match_xgboost_and_the_one_row_path(string name, string format)
    {
        // Without AVX-512 (CI's narrower reruns) the batch is explained row by row, and this checks only that.
        var fixture = ParityCase.Load(name);
        var predictor = XgboostModel.Load(fixture.ModelPath(format)).Predictor;
        float[] rows = fixture.Flatten(fixture.DMatrixRows);
        int count = fixture.DMatrixRows.Length, width = predictor.ContributionWidth;
        var batch = new float[count * width];
        predictor.PredictRowsContributions(rows, batch);
        AssertClose(fixture.Contributions, batch, 1e-4, "batch tabulated contribution");

        var single = new float[width];
        for (int r = 0; r < count; r++)
        {
            predictor.PredictRowContributions(rows.AsSpan(r * predictor.FeatureCount, predictor.FeatureCount), single);
            for (int c = 0; c < width; c++)
            {
                float expected = single[c], actual = batch[(r * width) + c];
                Assert.True(expected.Equals(actual) || Math.Abs(expected - actual) <= 1e-5 * Math.Max(1, Math.Abs(expected)), $"row {r} column {c}: one row {expected}, batch {actual}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Importances_match_xgboost_get_score(string name, string format) =>
        AssertImportancesMatch(ParityCase.Load(name), format);

    internal static void AssertImportancesMatch(ParityCase fixture, string format)
    {
        var model = XgboostModel.Load(fixture.ModelPath(format));
        foreach (var (typeName, expected) in fixture.Importance)
        {
            var type = Enum.Parse<ImportanceType>(typeName.Replace("_", "", StringComparison.Ordinal), ignoreCase: true);
            var actual = model.GetImportance(type).ToDictionary(i => i.Name, i => i.Values.Select(v => (double)v).ToArray());
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (feature, values) in expected)
            {
                AssertClose([values], actual[feature].Select(v => (float)v).ToArray(), 1e-6, $"{typeName} of {feature}");
            }
        }
    }

    internal static void AssertClose(double[][] expected, float[] actual, double tolerance, string what)
    {
        double[] flat = expected.SelectMany(r => r).ToArray();
        Assert.Equal(flat.Length, actual.Length);
        for (int i = 0; i < flat.Length; i++)
        {
            if (!double.IsFinite(flat[i]))
            {
                Assert.Equal(flat[i], actual[i]);
                continue;
            }

            double allowed = tolerance * Math.Max(1, Math.Abs(flat[i]));
            Assert.True(
                Math.Abs(flat[i] - actual[i]) <= allowed,
                $"{what} {i} (row {i / Math.Max(1, expected[0].Length)}): expected {flat[i]:R}, got {actual[i]:R}");
        }
    }
}
