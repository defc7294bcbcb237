using System.Text.Json;
using Skillscope.Trees.Metrics;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>Metrics against the values scikit-learn and scipy computed (tests/fixtures/make_metric_fixtures.py).</summary>
public sealed class MetricsTests
{
    public static TheoryData<string> Cases() => ["continuous", "tied", "small"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Metrics_match_scikit_learn_and_scipy(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", "metrics.json")));
        var fixture = document.RootElement.GetProperty(name);
        double[] Array(string key) => fixture.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        double Value(string key) => fixture.GetProperty(key).GetDouble();
        var scores = Array("scores");
        var labels = Array("labels");
        var weights = Array("weights");
        var target = Array("target");

        Assert.Equal(Value("auc"), ClassificationMetrics.RocAuc(scores, labels), 12);
        Assert.Equal(Value("auc_weighted"), ClassificationMetrics.RocAuc(scores, labels, weights), 12);
        Assert.Equal(Value("log_loss"), ClassificationMetrics.LogLoss(scores, labels), 12);
        Assert.Equal(Value("log_loss_weighted"), ClassificationMetrics.LogLoss(scores, labels, weights), 12);
        Assert.Equal(Value("brier"), ClassificationMetrics.BrierScore(scores, labels), 12);
        Assert.Equal(Value("ece"), ClassificationMetrics.ExpectedCalibrationError(scores, labels), 12);
        var threshold = ClassificationMetrics.AtThreshold(scores, labels, 0.5);
        Assert.Equal(Value("accuracy"), threshold.Accuracy, 12);
        Assert.Equal(Value("precision"), threshold.Precision, 12);
        Assert.Equal(Value("recall"), threshold.Recall, 12);
        Assert.Equal(Value("f1"), threshold.F1, 12);
        Assert.Equal(Value("pearson"), RegressionMetrics.Pearson(scores, target), 12);
        Assert.Equal(Value("pearson"), PearsonFromSums(scores, target), 9);
        Assert.Equal(Value("spearman"), RegressionMetrics.Spearman(scores, target), 12);
        Assert.Equal(Value("rmse"), RegressionMetrics.Rmse(scores, target), 12);
        Assert.Equal(Array("ranks"), RegressionMetrics.Ranks(scores));
    }

    [Fact]
    public void Roc_curve_runs_from_origin_to_one_and_its_area_is_the_auc()
    {
        double[] scores = [0.1, 0.4, 0.35, 0.8, 0.4];
        double[] labels = [0, 0, 1, 1, 1];
        var curve = ClassificationMetrics.RocCurve(scores, labels);
        Assert.Equal((0.0, 0.0), (curve[0].FalsePositiveRate, curve[0].TruePositiveRate));
        Assert.Equal((1.0, 1.0), (curve[^1].FalsePositiveRate, curve[^1].TruePositiveRate));
        double area = 0;
        for (int i = 1; i < curve.Count; i++)
        {
            area += (curve[i].FalsePositiveRate - curve[i - 1].FalsePositiveRate) * (curve[i].TruePositiveRate + curve[i - 1].TruePositiveRate) / 2;
        }

        Assert.Equal(ClassificationMetrics.RocAuc(scores, labels), area, 12);
    }

    [Fact]
    public void Undefined_cases_are_nan_or_refused()
    {
        Assert.True(double.IsNaN(ClassificationMetrics.RocAuc([0.2, 0.3], [1, 1])));
        Assert.True(double.IsNaN(RegressionMetrics.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(PearsonFromSums([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(PearsonFromSums([1, 2], [1, 2])));
        Assert.Throws<ArgumentException>(() => ClassificationMetrics.LogLoss([0.5], [1, 0]));
        Assert.Throws<ArgumentException>(() => RegressionMetrics.Rmse([], []));
    }

    private static double PearsonFromSums(double[] x, double[] y)
    {
        double sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            (sx, sy, sxx, syy, sxy) = (sx + x[i], sy + y[i], sxx + (x[i] * x[i]), syy + (y[i] * y[i]), sxy + (x[i] * y[i]));
        }

        return RegressionMetrics.PearsonFromSums(x.Length, sx, sy, sxx, syy, sxy);
    }
}
