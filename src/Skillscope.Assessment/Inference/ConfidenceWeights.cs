namespace Skillscope.Assessment.Inference;

/// <summary>
/// How much each signal counts in a skill result's confidence (non-negative, summing to 1):
/// distance of the probability from the 0.5 boundary, agreement of the trees, feature coverage.
/// </summary>
public sealed record ConfidenceWeights(double Margin = 0.45, double Agreement = 0.25, double Coverage = 0.30)
{
    public static ConfidenceWeights Default { get; } = new();

    /// <exception cref="ArgumentException">A weight is negative or they do not sum to 1.</exception>
    public void Validate()
    {
        if (Margin < 0 || Agreement < 0 || Coverage < 0 || Math.Abs(Margin + Agreement + Coverage - 1) > 1e-6)
        {
            throw new ArgumentException($"confidence weights must be non-negative and sum to 1 (margin {Margin}, agreement {Agreement}, coverage {Coverage})");
        }
    }
}
