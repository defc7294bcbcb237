using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary><c>skillscope inspect</c>: what a model holds, and which kernel scores its batches or why not the fastest.</summary>
public sealed class InspectCommandTests
{
    [Theory]
    [InlineData("binary_logistic", "kernel:      bit-vector (64 rows per pass")]
    [InlineData("deep_lossguide", "kernel:      complete-tree walk (not bit-vector: tree 0 has 115 leaves; the bit-vector kernel takes at most 64)")]
    [InlineData("categorical_onehot", "kernel:      complete-tree walk (not bit-vector: tree 0 has categorical splits, which the bit-vector kernel does not take)")]
    public void Inspect_names_the_batch_kernel_and_the_reason_for_a_fallback(string fixture, string expected)
    {
        var run = CliRun.Of("inspect", "--model", Path.Combine(ParityFixtures.Directory, fixture, "model.json"));

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("objective:", run.Output, StringComparison.Ordinal);
        if (System.Runtime.Intrinsics.Vector128.IsHardwareAccelerated || !expected.Contains("bit-vector (", StringComparison.Ordinal))
        {
            Assert.Contains(expected, run.Output, StringComparison.Ordinal);
        }
    }
}
