using System.Runtime.CompilerServices;
using System.Numerics;

namespace Skillscope.Trees.Training;

/// <summary>
/// Finds the best split of one node on one feature from its histogram, scoring candidates as XGBoost
/// does: <c>G²/(H+λ)</c> per side (with <c>α</c> soft-thresholding <c>G</c>), minus the parent's score.
/// One instance per worker: it owns the scratch space the search writes into.
/// </summary>
internal sealed class SplitSearch
{
    private readonly TrainingParameters _parameters;
    private readonly FeatureCuts _cuts;
    private readonly long[] _prefixGradients;
    private readonly long[] _prefixHessians;
    private readonly double[] _leftGradients;
    private readonly double[] _leftHessians;
    private readonly double[] _gains;

    public SplitSearch(TrainingParameters parameters, FeatureCuts cuts)
    {
        _parameters = parameters;
        _cuts = cuts;
        int maxBins = 0;
        foreach (var featureCuts in cuts.Cuts)
        {
            maxBins = Math.Max(maxBins, featureCuts.Length);
        }

        _prefixGradients = new long[maxBins];
        _prefixHessians = new long[maxBins];
        _leftGradients = new double[2 * maxBins];
        _leftHessians = new double[2 * maxBins];
        _gains = new double[2 * maxBins];
    }

    /// <summary>
    /// The best split on feature <paramref name="f"/> of a node with the given histogram and quantised
    /// sums. Candidates, in order: every bin boundary with missing values sent right, then — when the
    /// node has missing values — every boundary from the top down with them sent left. The first strictly
    /// best candidate wins, as in XGBoost's scan.
    /// </summary>
    // Optimised at first call: a training run is over before tiered compilation would have replaced its loops'
    // first, unoptimised code (about a quarter of a small training run went to it).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SplitChoice Best(long[] histogram, long nodeGradient, long nodeHessian, int f, QuantisedGradients gradients)
    {
        var cuts = _cuts.Cuts[f];
        int bins = cuts.Length;
        if (bins == 0)
        {
            return SplitChoice.None;
        }

        var slots = histogram.AsSpan(2 * _cuts.SlotOffsets[f], 2 * (bins + 1));
        long missingG = slots[2 * bins], missingH = slots[(2 * bins) + 1];
        bool hasMissing = (missingG | missingH) != 0;
        double gUnit = gradients.GradientUnit, hUnit = gradients.HessianUnit;

        // Candidate k < bins: bins 0..k left, missing right. Candidate bins + k: bins 0..k−1 and missing left.
        var prefixG = _prefixGradients.AsSpan(0, bins);
        var prefixH = _prefixHessians.AsSpan(0, bins);
        var leftG = _leftGradients.AsSpan(0, 2 * bins);
        var leftH = _leftHessians.AsSpan(0, 2 * bins);
        long sumG = 0, sumH = 0;
        for (int b = 0; b < bins; b++)
        {
            sumG += slots[2 * b];
            sumH += slots[(2 * b) + 1];
            prefixG[b] = sumG;
            prefixH[b] = sumH;
            leftG[b] = sumG * gUnit;
            leftH[b] = sumH * hUnit;
        }

        int candidates = bins;
        if (hasMissing)
        {
            candidates = 2 * bins;
            leftG[bins] = missingG * gUnit;
            leftH[bins] = missingH * hUnit;
            for (int k = 1; k < bins; k++)
            {
                leftG[bins + k] = (missingG + prefixG[k - 1]) * gUnit;
                leftH[bins + k] = (missingH + prefixH[k - 1]) * hUnit;
            }
        }

        double parentG = nodeGradient * gUnit, parentH = nodeHessian * hUnit;
        var gains = _gains.AsSpan(0, candidates);
        ScoreCandidates(leftG[..candidates], leftH[..candidates], parentG, parentH, Gain(parentG, parentH, _parameters), gains);

        double bestGain = 0;
        int best = -1;
        for (int k = 0; k < bins; k++)
        {
            if (gains[k] > bestGain)
            {
                bestGain = gains[k];
                best = k;
            }
        }

        // Sent-left candidates are scanned from the top bin down, as XGBoost's backward pass does.
        for (int k = candidates - 1; k >= bins; k--)
        {
            if (gains[k] > bestGain)
            {
                bestGain = gains[k];
                best = k;
            }
        }

        if (best < 0)
        {
            return SplitChoice.None;
        }

        if (best < bins)
        {
            return new SplitChoice(bestGain, f, best, cuts[best], DefaultLeft: false, prefixG[best], prefixH[best]);
        }

        int bin = best - bins - 1;
        return bin < 0
            ? new SplitChoice(bestGain, f, -1, _cuts.Minimums[f], DefaultLeft: true, missingG, missingH)
            : new SplitChoice(bestGain, f, bin, cuts[bin], DefaultLeft: true, missingG + prefixG[bin], missingH + prefixH[bin]);
    }

    /// <summary>The loss reduction score of one side: 0 when it is too light to be a child.</summary>
    public static double Gain(double g, double h, TrainingParameters parameters)
    {
        if (h < parameters.MinChildWeight || h <= 0)
        {
            return 0;
        }

        double t = ThresholdL1(g, parameters.Alpha);
        return t * t / (h + parameters.Lambda);
    }

    /// <summary>A node's optimal weight (before shrinkage by <c>eta</c>).</summary>
    public static double Weight(double g, double h, TrainingParameters parameters) =>
        h < parameters.MinChildWeight || h <= 0 ? 0 : -ThresholdL1(g, parameters.Alpha) / (h + parameters.Lambda);

    private static double ThresholdL1(double g, double alpha) => g > alpha ? g - alpha : g < -alpha ? g + alpha : 0;

    /// <summary>
    /// The gain of every candidate, or 0 where a side is lighter than <c>min_child_weight</c>. Vectorised:
    /// this is where a tree spends its divisions. Lanes compute exactly what the scalar tail does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ScoreCandidates(ReadOnlySpan<double> leftG, ReadOnlySpan<double> leftH, double parentG, double parentH, double rootGain, Span<double> gains)
    {
        double minWeight = _parameters.MinChildWeight, lambda = _parameters.Lambda, alpha = _parameters.Alpha;
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var vParentG = new Vector<double>(parentG);
            var vParentH = new Vector<double>(parentH);
            var vMinWeight = new Vector<double>(minWeight);
            var vLambda = new Vector<double>(lambda);
            var vAlpha = new Vector<double>(alpha);
            var vRootGain = new Vector<double>(rootGain);
            for (; i <= leftG.Length - Vector<double>.Count; i += Vector<double>.Count)
            {
                var gl = new Vector<double>(leftG[i..]);
                var hl = new Vector<double>(leftH[i..]);
                var gr = vParentG - gl;
                var hr = vParentH - hl;
                var valid = Vector.GreaterThanOrEqual(hl, vMinWeight) & Vector.GreaterThanOrEqual(hr, vMinWeight)
                    & Vector.GreaterThan(hl, Vector<double>.Zero) & Vector.GreaterThan(hr, Vector<double>.Zero);
                var tl = ThresholdL1(gl, vAlpha);
                var tr = ThresholdL1(gr, vAlpha);
                var gain = (tl * tl / (hl + vLambda)) + (tr * tr / (hr + vLambda)) - vRootGain;
                Vector.ConditionalSelect(valid, gain, Vector<double>.Zero).CopyTo(gains[i..]);
            }
        }

        for (; i < leftG.Length; i++)
        {
            double gl = leftG[i], hl = leftH[i], gr = parentG - gl, hr = parentH - hl;
            if (hl >= minWeight && hr >= minWeight && hl > 0 && hr > 0)
            {
                double tl = ThresholdL1(gl, alpha), tr = ThresholdL1(gr, alpha);
                gains[i] = (tl * tl / (hl + lambda)) + (tr * tr / (hr + lambda)) - rootGain;
            }
            else
            {
                gains[i] = 0;
            }
        }
    }

    private static Vector<double> ThresholdL1(Vector<double> g, Vector<double> alpha) =>
        Vector.ConditionalSelect(
            Vector.GreaterThan(g, alpha),
            g - alpha,
            Vector.ConditionalSelect(Vector.LessThan(g, -alpha), g + alpha, Vector<double>.Zero));
}
