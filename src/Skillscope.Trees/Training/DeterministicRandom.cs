namespace Skillscope.Trees.Training;

/// <summary>
/// SplitMix64: a tiny generator whose sequence is fixed by its seed on every platform and runtime, so a
/// seed reproduces a model byte for byte (System.Random makes no such promise across versions).
/// </summary>
internal sealed class DeterministicRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1) with 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, count).</summary>
    public int Next(int count) => (int)(NextDouble() * count);

    /// <summary>
    /// Keeps a fraction of <paramref name="items"/> (at least one), as XGBoost's colsample_* do; all of them,
    /// drawing nothing from the stream, when the fraction is 1.
    /// </summary>
    public int[] SampleFraction(int[] items, double fraction) =>
        fraction >= 1 ? items : Sample(items, Math.Max(1, (int)Math.Round(fraction * items.Length)));

    /// <summary>Picks <paramref name="take"/> of <paramref name="items"/> without replacement and returns them sorted.</summary>
    public int[] Sample(int[] items, int take)
    {
        var pool = (int[])items.Clone();
        for (int i = 0; i < take; i++)
        {
            int j = i + Next(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        var chosen = pool[..take];
        Array.Sort(chosen);
        return chosen;
    }
}
