using System.Text;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// A category no split can hold, by the version that wrote the model. The 1.7.3-and-later rule (left) is held to
/// XGBoost 1.7.4's own numbers by the <c>categorical_invalid_*</c> parity fixtures; 1.6.0 to 1.7.2 cannot be run
/// here, so their rule (the default direction, as a missing value) is checked for what it means: such a value
/// scores exactly as NaN does, on the same model relabelled with the older version.
/// </summary>
public sealed class InvalidCategoryTests
{
    private static readonly float[] Invalid = [-2f, -1f, -0.41f, 100f, 16_777_216f, 3e9f, 1e30f];

    [Theory]
    [InlineData("categorical_invalid_partition")]
    [InlineData("categorical_invalid_onehot")]
    public void Models_of_1_6_to_1_7_2_send_an_invalid_category_the_missing_way_and_later_ones_do_not(string name)
    {
        string json = File.ReadAllText(ParityCase.Load(name).ModelPath("json"));
        Assert.Contains("\"version\":[1,7,4]", json, StringComparison.Ordinal);
        var newer = XgboostModel.Load(Encoding.UTF8.GetBytes(json)).Predictor;
        int differing = 0;
        foreach (string version in new[] { "[1,6,0]", "[1,7,2]" })
        {
            var older = XgboostModel.Load(Encoding.UTF8.GetBytes(json.Replace("\"version\":[1,7,4]", $"\"version\":{version}", StringComparison.Ordinal))).Predictor;
            // Every pair of a colour and a size with at least one of them invalid, over a spread of the other features.
            float[] colours = [.. Invalid, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, float.NaN], sizes = [.. Invalid, 0f, 1f, 2f, float.NaN];
            foreach (float colour in colours)
            {
                foreach (float size in sizes)
                {
                    if (!IsInvalid(colour) && !IsInvalid(size))
                    {
                        continue;
                    }

                    foreach (float x in new[] { -2f, -0.5f, 0f, 0.5f, 2f })
                    {
                        float[] invalid = [colour, x, size, -x], missing = [IsInvalid(colour) ? float.NaN : colour, x, IsInvalid(size) ? float.NaN : size, -x];
                        Assert.Equal(Margin(older, missing), Margin(older, invalid));
                        differing += Margin(newer, invalid) != Margin(older, invalid) ? 1 : 0;
                    }
                }
            }
        }

        Assert.True(differing > 0, "the fixture's splits send missing values left only: the rules cannot be told apart");
    }

    private static bool IsInvalid(float value) => Array.IndexOf(Invalid, value) >= 0;

    private static float Margin(Prediction.TreePredictor predictor, float[] row)
    {
        var margin = new float[predictor.GroupCount];
        predictor.PredictMargin(row, margin);
        return margin[0];
    }
}
