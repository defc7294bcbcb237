namespace Skillscope.Trees.Training;

/// <summary>
/// One tree's gradients and hessians as fixed-point 64-bit integers. Integer addition is associative, so
/// histograms summed by any number of threads in any order are bit-identical — the reason a seed
/// reproduces a model whatever the thread count. The scale leaves headroom for summing every row
/// without overflow while keeping about 2⁻⁴⁰ of the largest gradient as resolution; it is a power of two,
/// so turning a sum back into a double is an exact multiplication.
/// </summary>
internal sealed class QuantisedGradients
{
    public QuantisedGradients(int rowCount)
    {
        Pairs = new long[2 * (long)rowCount];
    }

    /// <summary>
    /// Gradient then hessian of each row, interleaved: the histogram builder gathers rows in node order,
    /// and one cache line then holds both values of a row.
    /// </summary>
    public long[] Pairs { get; }

    /// <summary>The gradient one quantum stands for.</summary>
    public double GradientUnit { get; private set; } = 1;

    /// <summary>The hessian one quantum stands for.</summary>
    public double HessianUnit { get; private set; } = 1;

    /// <summary>
    /// Quantises group <paramref name="group"/> of row-major gradients for the rows in <paramref name="rows"/>
    /// (other rows keep stale values and must not be read until quantised again).
    /// </summary>
    public void Quantise(double[] gradients, double[] hessians, int groups, int group, int[] rows, WorkerTeam team)
    {
        const int Chunk = 16384;
        int chunks = (rows.Length + Chunk - 1) / Chunk;
        var maxima = new (double Gradient, double Hessian)[chunks];
        team.For(chunks, (_, c) =>
        {
            double maxG = 0, maxH = 0;
            foreach (int r in rows.AsSpan(c * Chunk, Math.Min(Chunk, rows.Length - (c * Chunk))))
            {
                maxG = Math.Max(maxG, Math.Abs(gradients[(r * groups) + group]));
                maxH = Math.Max(maxH, hessians[(r * groups) + group]);
            }

            maxima[c] = (maxG, maxH);
        });
        double maxGradient = 0, maxHessian = 0;
        foreach (var (g, h) in maxima)
        {
            maxGradient = Math.Max(maxGradient, g);
            maxHessian = Math.Max(maxHessian, h);
        }

        // Each value fits in 2^bits, and rows·2^bits stays below 2^62.
        int bits = 62 - (int)Math.Ceiling(Math.Log2(rows.Length + 1.0));
        GradientUnit = UnitFor(maxGradient, bits);
        HessianUnit = UnitFor(maxHessian, bits);
        double gScale = 1 / GradientUnit, hScale = 1 / HessianUnit;
        var pairs = Pairs;
        team.For(chunks, (_, c) =>
        {
            foreach (int r in rows.AsSpan(c * Chunk, Math.Min(Chunk, rows.Length - (c * Chunk))))
            {
                pairs[2 * r] = (long)Math.Round(gradients[(r * groups) + group] * gScale);
                pairs[(2 * r) + 1] = (long)Math.Round(hessians[(r * groups) + group] * hScale);
            }
        });
    }

    public double GradientValue(long sum) => sum * GradientUnit;

    public double HessianValue(long sum) => sum * HessianUnit;

    /// <summary>The power of two that maps <paramref name="max"/> to just under 2^<paramref name="bits"/>.</summary>
    private static double UnitFor(double max, int bits) =>
        max > 0 && double.IsFinite(max) ? Math.ScaleB(1, Math.ILogB(max) + 1 - bits) : 1;
}
