namespace Skillscope.Assessment.Inference;

/// <summary>
/// Confidence in [0, 1] of one skill prediction (docs/EVIDENCE.md):
/// <c>w_m·|2p − 1| + w_a·agreement + w_c·coverage</c>, where agreement is the share of the trees'
/// total pull (Σ|tree output|) that points the same way as their sum: 1 when every tree pushes
/// towards the answer, 0.5 when they cancel out.
/// </summary>
public static class SkillConfidence
{
    public static double Compute(double probability, ReadOnlySpan<float> treeOutputs, double coverage, ConfidenceWeights weights)
    {
        ArgumentNullException.ThrowIfNull(weights);
        double agreement = Agreement(treeOutputs);
        double margin = double.IsFinite(probability) ? Math.Abs((2 * probability) - 1) : 0;
        double value = (weights.Margin * margin) + (weights.Agreement * agreement) + (weights.Coverage * Math.Clamp(coverage, 0, 1));
        return Math.Clamp(value, 0, 1);
    }

    /// <summary>Share of Σ|output| on the side of the sum; 0.5 when there is no pull either way.</summary>
    /// <remarks>
    /// One pass: with S the sum and T the total pull, the side of the sum holds (T + |S|) / 2 of T, so the
    /// share is 1/2 + |S| / 2T — no second pass comparing each tree's sign with the sum's.
    /// </remarks>
    public static double Agreement(ReadOnlySpan<float> treeOutputs)
    {
        double sum = 0, total = 0;
        foreach (float output in treeOutputs)
        {
            sum += output;
            total += Math.Abs(output);
        }

        return total <= 0 ? 0.5 : 0.5 + (Math.Abs(sum) / (2 * total));
    }
}
