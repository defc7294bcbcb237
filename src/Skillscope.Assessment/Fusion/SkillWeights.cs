namespace Skillscope.Assessment.Fusion;

/// <summary>
/// One skill's fusion weights: <c>final = ml·ml_score + linguistic·linguistic_score +
/// behavioral·behavioral_score + confidence·confidence_adjustment</c>. Non-negative, summing to 1.
/// </summary>
public sealed record SkillWeights(double Ml, double Linguistic, double Behavioral, double Confidence)
{
    public const double SumTolerance = 1e-6;

    public static SkillWeights Default { get; } = new(0.6, 0.15, 0.15, 0.1);

    /// <summary>The four weights as people read them: <c>0.60 / 0.15 / 0.15 / 0.10</c> (ML, linguistic, behavioural, confidence).</summary>
    public string Describe() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Ml:0.00} / {Linguistic:0.00} / {Behavioral:0.00} / {Confidence:0.00}");

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

    /// <summary>
    /// The fused score of one skill from its parts, and the weights applied: a source the student has no
    /// evidence of (null) gives its weight to the others, in proportion, so the weights applied sum to 1.
    /// </summary>
    public (double Fused, double Ml, double Linguistic, double Behavioral, double Confidence) Combine(double ml, double? linguistic, double? behavioral, double adjustment)
    {
        double wMl = Ml, wLing = linguistic is null ? 0 : Linguistic, wBeh = behavioral is null ? 0 : Behavioral, wConf = Confidence;
        double total = wMl + wLing + wBeh + wConf;
        if (total <= 0)
        {
            (wMl, total) = (1, 1);
        }

        (wMl, wLing, wBeh, wConf) = (wMl / total, wLing / total, wBeh / total, wConf / total);
        return ((wMl * ml) + (wLing * (linguistic ?? 0)) + (wBeh * (behavioral ?? 0)) + (wConf * adjustment), wMl, wLing, wBeh, wConf);
    }
}
