namespace Skillscope.Trees.Training;

/// <summary>
/// One tree's gradients and hessians as fixed-point 64-bit integers. Integer addition is associative, so
/// histograms summed by any number of threads in any order are bit-identical — the reason a seed
/// reproduces a model whatever the thread count. The scale leaves headroom for summing every row
/// without overflow while keeping about 2⁻⁴⁰ of the largest gradient as resolution.
/// </summary>
internal sealed class QuantisedGradients
{
    private readonly double _gradientScale;
    private readonly double _hessianScale;

    public QuantisedGradients(int rowCount)
    {
        Gradient = new long[rowCount];
        Hessian = new long[rowCount];
        _gradientScale = 1;
        _hessianScale = 1;
    }

    private QuantisedGradients(long[] gradient, long[] hessian, double gradientScale, double hessianScale)
    {
        Gradient = gradient;
        Hessian = hessian;
        _gradientScale = gradientScale;
        _hessianScale = hessianScale;
    }

    public long[] Gradient { get; }

    public long[] Hessian { get; }

    /// <summary>
    /// Quantises group <paramref name="group"/> of row-major gradients for the rows in <paramref name="rows"/>;
    /// reuses this instance's arrays (other rows are left as they were and must not be read).
    /// </summary>
    public QuantisedGradients Quantise(double[] gradients, double[] hessians, int groups, int group, int[] rows)
    {
        double maxG = 0, maxH = 0;
        foreach (int r in rows)
        {
            maxG = Math.Max(maxG, Math.Abs(gradients[(r * groups) + group]));
            maxH = Math.Max(maxH, hessians[(r * groups) + group]);
        }

        // Each value fits in 2^bits, and rows·2^bits stays below 2^62.
        int bits = 62 - (int)Math.Ceiling(Math.Log2(rows.Length + 1.0));
        double gScale = maxG > 0 ? Math.ScaleB(1, bits) / maxG : 1;
        double hScale = maxH > 0 ? Math.ScaleB(1, bits) / maxH : 1;
        foreach (int r in rows)
        {
            Gradient[r] = (long)Math.Round(gradients[(r * groups) + group] * gScale);
            Hessian[r] = (long)Math.Round(hessians[(r * groups) + group] * hScale);
        }

        return new QuantisedGradients(Gradient, Hessian, gScale, hScale);
    }

    public double GradientValue(long sum) => sum / _gradientScale;

    public double HessianValue(long sum) => sum / _hessianScale;
}
