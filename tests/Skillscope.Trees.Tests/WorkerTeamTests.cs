using Skillscope.Trees.Training;
using Xunit;

namespace Skillscope.Trees.Tests;

public sealed class WorkerTeamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    public void Every_item_runs_exactly_once_over_many_steps(int threads)
    {
        using var team = new WorkerTeam(threads);
        for (int step = 0; step < 500; step++)
        {
            int count = step % 37;
            var runs = new int[count];
            var workers = new int[count];
            team.For(count, (worker, item) =>
            {
                Interlocked.Increment(ref runs[item]);
                workers[item] = worker;
            });
            Assert.All(runs, r => Assert.Equal(1, r));
            Assert.All(workers, w => Assert.InRange(w, 0, threads - 1));
        }
    }

    [Fact]
    public void A_failing_item_is_rethrown_after_the_step_and_the_team_keeps_working()
    {
        using var team = new WorkerTeam(2);
        var failure = Assert.Throws<InvalidOperationException>(() => team.For(1000, (_, item) =>
        {
            if (item == 10)
            {
                throw new InvalidOperationException("item 10");
            }
        }));
        Assert.Equal("item 10", failure.Message);

        int total = 0;
        team.For(100, (_, item) => Interlocked.Add(ref total, item));
        Assert.Equal(4950, total);
    }

    [Fact]
    public void Helpers_that_fell_asleep_wake_for_the_next_step()
    {
        using var team = new WorkerTeam(2);
        Thread.Sleep(50);
        using var secondStarted = new ManualResetEventSlim();
        bool together = false;
        team.For(2, (_, item) =>
        {
            if (item == 0)
            {
                // Only a woken helper can run item 1 while the caller waits here.
                together = secondStarted.Wait(TimeSpan.FromSeconds(20));
            }
            else
            {
                secondStarted.Set();
            }
        });
        Assert.True(together);
    }
}
