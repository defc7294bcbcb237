using System.Text.Json;
using Skillscope.Trees.Scaling;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>StandardScaler against scikit-learn's (tests/fixtures/make_metric_fixtures.py).</summary>
public sealed class StandardScalerTests
{
    [Fact]
    public void Fit_and_transform_match_scikit_learn_and_survive_a_round_trip()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fixtures", "metrics", "metrics.json")));
        var fixture = document.RootElement.GetProperty("scaler");
        float[] Matrix(string key) => fixture.GetProperty(key).EnumerateArray()
            .SelectMany(row => row.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Null ? float.NaN : (float)e.GetDouble())).ToArray();
        var x = Matrix("x");
        var mean = fixture.GetProperty("mean").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var scale = fixture.GetProperty("scale").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        var scaler = StandardScaler.Fit(x, 4, ["a", "b", "c", "d"]);
        for (int f = 0; f < 4; f++)
        {
            // The fixture's data went through float32 here, so compare at float precision.
            Assert.Equal(mean[f], scaler.Mean[f], 1e-5 * Math.Abs(mean[f]));
            Assert.Equal(scale[f], scaler.Scale[f], 1e-5 * scale[f]);
        }

        var imported = StandardScaler.FromJson(JsonSerializer.Serialize(new { mean, scale }));
        var transformed = (float[])x.Clone();
        imported.Transform(transformed);
        var expected = Matrix("transformed");
        for (int i = 0; i < x.Length; i++)
        {
            Assert.True(float.IsNaN(expected[i]) ? float.IsNaN(transformed[i]) : Math.Abs(expected[i] - transformed[i]) <= 1e-5, $"value {i}");
        }

        var reloaded = StandardScaler.FromJson(scaler.ToJson());
        Assert.Equal(scaler.Mean, reloaded.Mean);
        Assert.Equal(scaler.Scale, reloaded.Scale);
        Assert.Equal(scaler.FeatureNames, reloaded.FeatureNames);
    }

    [Fact]
    public void Invalid_scalers_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StandardScaler.FromJson("""{"mean":[0,1],"scale":[1]}"""));
        Assert.Throws<ArgumentException>(() => StandardScaler.FromJson("""{"mean":[0],"scale":[0]}"""));
        Assert.Throws<ArgumentException>(() => StandardScaler.FromJson("not json"));
        Assert.Throws<ArgumentException>(() => StandardScaler.Fit([float.NaN, 1, float.NaN, 2], 2));
    }
}
