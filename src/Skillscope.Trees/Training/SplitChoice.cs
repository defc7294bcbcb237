namespace Skillscope.Trees.Training;

/// <summary>The best split found for a node: where, which way missing values go, and the left side's sums.</summary>
/// <param name="Gain">Loss reduction (XGBoost's <c>loss_chg</c>); 0 when no split qualifies.</param>
/// <param name="Feature">Feature index, or −1 when no split qualifies.</param>
/// <param name="Bin">Bins at or below this go left; −1 sends every observed value right.</param>
/// <param name="Threshold">The float threshold equivalent to <paramref name="Bin"/>.</param>
/// <param name="DefaultLeft">Whether missing values go left.</param>
/// <param name="LeftGradient">Quantised gradient sum of the left child.</param>
/// <param name="LeftHessian">Quantised hessian sum of the left child.</param>
internal readonly record struct SplitChoice(double Gain, int Feature, int Bin, float Threshold, bool DefaultLeft, long LeftGradient, long LeftHessian)
{
    public static SplitChoice None => new(0, -1, 0, 0, false, 0, 0);

    public bool Exists => Feature >= 0;
}
