using Skillscope.Scoring.Monitoring;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>
/// The vector slot search gives <see cref="Histogram.SlotOf"/>'s answer for every value, on edges of every
/// count a profile can hold (none, one, the nine deciles, sixteen, and more than a vector row takes, which
/// is searched as before), with infinite and signed-zero edges, at and around every edge and on the special
/// floats. CI runs it again without AVX-512, without AVX2 and without SIMD, so each path is checked.
/// </summary>
public sealed class SlotFinderTests
{
    [Fact]
    public void Every_value_lands_in_the_slot_the_binary_search_gives()
    {
        var random = new Random(11);
        float[][] edges =
        [
            [],
            [0f],
            [.. Enumerable.Range(1, 9).Select(i => i * 0.1f)],
            [.. Enumerable.Range(0, 16).Select(i => (i * 2f) - 15f)],
            [float.MinValue, -1e-30f, 0f, 1e-30f, float.MaxValue],
            [float.NegativeInfinity, -0f, 1f],
            [-1f, float.PositiveInfinity],
            [.. Enumerable.Range(0, 40).Select(i => (float)i)],
            [.. Enumerable.Range(0, 17).Select(i => (float)i)],
        ];
        var finder = new SlotFinder(edges);
        for (int v = 0; v < edges.Length; v++)
        {
            var values = new List<float> { float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, float.Epsilon, -float.Epsilon, float.MaxValue, float.MinValue };
            foreach (float edge in edges[v])
            {
                values.AddRange([edge, MathF.BitDecrement(edge), MathF.BitIncrement(edge)]);
            }

            for (int i = 0; i < 200; i++)
            {
                values.Add((float)((random.NextDouble() * 60) - 30));
            }

            foreach (float value in values)
            {
                Assert.Equal(Histogram.SlotOf(value, edges[v]), finder.SlotOf(v, value));
            }
        }
    }
}
