namespace Skillscope.Assessment.Synthetic;

/// <summary>The random draws the seeded generators share (districts here, CRM leads in the CLI's demo).</summary>
public static class RandomDraws
{
    /// <summary>A normal draw (Box–Muller): two uniform draws per call.</summary>
    public static double Normal(Random random, double mean = 0, double sd = 1)
    {
        ArgumentNullException.ThrowIfNull(random);
        return mean + (sd * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
    }

    /// <summary>
    /// A Poisson draw by multiplying uniforms (Knuth), fine for the small means generators use; the mean is
    /// capped at 60, where e^−λ is still far from underflow and the loop stays short.
    /// </summary>
    public static int Poisson(Random random, double lambda)
    {
        ArgumentNullException.ThrowIfNull(random);
        double limit = Math.Exp(-Math.Min(lambda, 60)), product = random.NextDouble();
        int k = 0;
        while (product > limit)
        {
            product *= random.NextDouble();
            k++;
        }

        return k;
    }

    public static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
