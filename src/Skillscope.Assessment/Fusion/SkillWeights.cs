namespace Skillscope.Assessment.Fusion;

/// <summary>
/// One skill's fusion weights: <c>final = ml·ml_score + linguistic·linguistic_score +
/// behavioral·behavioral_score + confidence·confidence_adjustment</c>. Non-negative, summing to 1.
/// </summary>
public sealed record SkillWeights(double Ml, double Linguistic, double Behavioral, double Confidence)
{
    public const double SumTolerance = 1e-6;

    public static SkillWeights Default { get; } = new(0.6, 0.15, 0.15, 0.1);

    /// <summary>Why these weights are not valid, or null when they are.</summary>
    public string? Problem()
    {
        foreach (var (name, value) in new[] { ("ml", Ml), ("linguistic", Linguistic), ("behavioral", Behavioral), ("confidence", Confidence) })
        {
            if (!double.IsFinite(value) || value < 0)
            {
                return $"weight \"{name}\" must be a non-negative number, not {value}";
            }
        }

        double sum = Ml + Linguistic + Behavioral + Confidence;
        return Math.Abs(sum - 1) > SumTolerance ? $"weights must sum to 1 (within {SumTolerance}); these sum to {sum:R}" : null;
    }
}
