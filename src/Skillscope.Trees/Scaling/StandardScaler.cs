using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Trees.Scaling;

/// <summary>
/// Standardises features to zero mean and unit variance as scikit-learn's <c>StandardScaler</c> does:
/// population standard deviation, missing values (NaN) ignored when fitting and kept when transforming,
/// a constant feature's scale left at 1. Saved as JSON; scikit-learn's <c>mean_</c>/<c>scale_</c> import directly.
/// </summary>
public sealed record StandardScaler
{
    /// <summary>Creates a scaler from per-feature means and scales (e.g. scikit-learn's <c>mean_</c> and <c>scale_</c>).</summary>
    /// <exception cref="ArgumentException">Lengths differ, or a value is not finite, or a scale is not positive.</exception>
    [JsonConstructor]
    public StandardScaler(IReadOnlyList<double> mean, IReadOnlyList<double> scale, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count != scale.Count || (featureNames is not null && featureNames.Count != mean.Count))
        {
            throw new ArgumentException($"mismatched lengths: {mean.Count} means, {scale.Count} scales, {featureNames?.Count} names");
        }

        for (int i = 0; i < mean.Count; i++)
        {
            if (!double.IsFinite(mean[i]) || !(scale[i] > 0) || !double.IsFinite(scale[i]))
            {
                throw new ArgumentException($"feature {i}: mean {mean[i]} and scale {scale[i]} must be finite, the scale positive");
            }
        }

        Mean = mean;
        Scale = scale;
        FeatureNames = featureNames;
    }

    /// <summary>Per-feature mean.</summary>
    [JsonPropertyName("mean")]
    public IReadOnlyList<double> Mean { get; }

    /// <summary>Per-feature standard deviation (1 for a constant feature).</summary>
    [JsonPropertyName("scale")]
    public IReadOnlyList<double> Scale { get; }

    /// <summary>Feature names, when known.</summary>
    [JsonPropertyName("feature_names")]
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Fits to a row-major matrix of <paramref name="featureCount"/> columns.</summary>
    public static StandardScaler Fit(ReadOnlySpan<float> rows, int featureCount, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(featureCount, 1);
        var count = new long[featureCount];
        var mean = new double[featureCount];
        var squares = new double[featureCount];
        for (int i = 0; i < rows.Length; i++)
        {
            double value = rows[i];
            if (double.IsNaN(value))
            {
                continue;
            }

            // Welford's update: stable for large offsets.
            int f = i % featureCount;
            count[f]++;
            double delta = value - mean[f];
            mean[f] += delta / count[f];
            squares[f] += delta * (value - mean[f]);
        }

        var scale = new double[featureCount];
        for (int f = 0; f < featureCount; f++)
        {
            if (count[f] == 0)
            {
                throw new ArgumentException($"feature {featureNames?[f] ?? f.ToString(System.Globalization.CultureInfo.InvariantCulture)} has no observed values to fit");
            }

            double variance = squares[f] / count[f];
            // scikit-learn treats a variance within rounding error of zero (relative to the mean) as zero and keeps the scale at 1.
            bool constant = variance <= 10 * Metrics.ClassificationMetrics.MachineEpsilon * mean[f] * mean[f] || variance == 0;
            scale[f] = constant ? 1 : Math.Sqrt(variance);
        }

        return new StandardScaler(mean, scale, featureNames);
    }

    /// <summary>Standardises a row-major matrix in place; NaN stays NaN.</summary>
    public void Transform(Span<float> rows)
    {
        int features = Mean.Count;
        if (rows.Length % features != 0)
        {
            throw new ArgumentException($"{rows.Length} values are not a whole number of {features}-feature rows");
        }

        for (int i = 0; i < rows.Length; i++)
        {
            int f = i % features;
            rows[i] = (float)((rows[i] - Mean[f]) / Scale[f]);
        }
    }

    /// <summary>The scaler as JSON (<c>mean</c>, <c>scale</c>, <c>feature_names</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads a scaler saved by <see cref="ToJson"/> or written from scikit-learn's <c>mean_</c>/<c>scale_</c>.</summary>
    /// <exception cref="ArgumentException">The JSON is not a valid scaler.</exception>
    public static StandardScaler FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize<StandardScaler>(json) ?? throw new ArgumentException("the scaler file is empty");
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"not a scaler file: {e.Message}", e);
        }
    }
}
