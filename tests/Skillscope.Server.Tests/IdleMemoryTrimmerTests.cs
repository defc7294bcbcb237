using Microsoft.Extensions.Logging.Abstractions;
using Skillscope.Server.Hosting;
using Xunit;

namespace Skillscope.Server.Tests;

public sealed class IdleMemoryTrimmerTests
{
    [Fact]
    public void A_quiet_interval_after_a_busy_one_trims_once_and_quiet_alone_never_does()
    {
        // The activity signal is the test's: other tests in this process allocate at will.
        long allocated = 0;
        var trimmer = new IdleMemoryTrimmer(NullLogger<IdleMemoryTrimmer>.Instance) { AllocatedBytes = () => allocated };
        trimmer.Sample();
        allocated += 1 << 20;
        trimmer.Sample();
        trimmer.Sample();
        Assert.Equal(0, trimmer.Trims);

        allocated += 64L << 20;
        trimmer.Sample();
        Assert.Equal(0, trimmer.Trims);
        allocated += 64L << 20;
        trimmer.Sample();
        Assert.Equal(0, trimmer.Trims);

        allocated += 1 << 20;
        trimmer.Sample();
        Assert.Equal(1, trimmer.Trims);
        trimmer.Sample();
        trimmer.Sample();
        Assert.Equal(1, trimmer.Trims);

        allocated += 64L << 20;
        trimmer.Sample();
        trimmer.Sample();
        Assert.Equal(2, trimmer.Trims);
    }
}
