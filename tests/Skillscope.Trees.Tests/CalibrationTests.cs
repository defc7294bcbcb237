using System.Text.Json;
using Skillscope.Trees.Calibration;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>Calibrators against scikit-learn's CalibratedClassifierCV (tests/fixtures/make_calibration_fixtures.py).</summary>
public sealed class CalibrationTests
{
    public static TheoryData<string> Cases() => ["plain", "weighted", "ties"];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Platt_and_isotonic_reproduce_scikit_learn(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "calibration", "calibration.json")));
        var fixture = document.RootElement.GetProperty(name);
        double[] Array(string key) => fixture.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var scores = Array("scores");
        var labels = Array("labels");
        var weights = fixture.GetProperty("weights").ValueKind == JsonValueKind.Null ? [] : Array("weights");
        var probe = Array("probe");

        var platt = PlattCalibrator.Fit(scores, labels, weights);
        Assert.True(Math.Abs(platt.A - fixture.GetProperty("a").GetDouble()) <= 1e-4, $"A: scikit-learn {fixture.GetProperty("a").GetDouble()}, ours {platt.A}");
        Assert.True(Math.Abs(platt.B - fixture.GetProperty("b").GetDouble()) <= 1e-4, $"B: scikit-learn {fixture.GetProperty("b").GetDouble()}, ours {platt.B}");
        var sigmoid = Array("sigmoid");
        for (int i = 0; i < probe.Length; i++)
        {
            Assert.True(Math.Abs(sigmoid[i] - platt.Calibrate(probe[i])) <= 1e-4, $"sigmoid at {probe[i]}");
        }

        var isotonic = IsotonicCalibrator.Fit(scores, labels, weights);
        var expected = Array("isotonic");
        for (int i = 0; i < probe.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - isotonic.Calibrate(probe[i])) <= 1e-6, $"isotonic at {probe[i]}: scikit-learn {expected[i]}, ours {isotonic.Calibrate(probe[i])}");
        }
    }

    [Fact]
    public void Isotonic_output_never_decreases()
    {
        var random = new Random(5);
        var scores = Enumerable.Range(0, 300).Select(_ => random.NextDouble()).ToArray();
        var labels = scores.Select(s => random.NextDouble() < s ? 1.0 : 0.0).ToArray();
        var calibrator = IsotonicCalibrator.Fit(scores, labels);
        double previous = -1;
        for (double s = -0.1; s <= 1.1; s += 0.001)
        {
            double p = calibrator.Calibrate(s);
            Assert.True(p >= previous - 1e-15);
            previous = p;
        }
    }
}
