using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Tests;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>A guarded canary's error rate is read per scoring call, every replica's counts summed in the database.</summary>
public sealed class CanaryGuardTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task One_failing_call_of_many_rows_leaves_a_canary_in_place_and_a_candidate_failing_many_calls_is_rolled_back(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var registry = new ModelRegistry(stores.Store, Path.Combine(stores.Directory, "models"));
        await registry.RegisterAsync(TestModels.Package(version: "1.0.0", seed: 1), "ana");
        await registry.RegisterAsync(TestModels.Package(version: "1.1.0", seed: 2), "ana");
        await registry.PromoteAsync("lead_conversion", "1.0.0", "ana");
        await registry.SplitAsync("lead_conversion", [new SplitShare("1.0.0", 90), new SplitShare("1.1.0", 10)], "ana", new SplitGuard(0.05, null, SplitGuard.DefaultMinOutcomes));

        // Two replicas: one scored a hundred calls well, the other had one call of 10,000 rows fail (91 % of the rows).
        var first = new ModelMonitor(stores.Store.Monitoring, 100);
        var second = new ModelMonitor(stores.Store.Monitoring, 100);
        for (int call = 0; call < 100; call++)
        {
            first.Versions.Record("lead_conversion", "1.1.0", 10, failed: false, 1_000);
        }

        second.Versions.Record("lead_conversion", "1.1.0", 10_000, failed: true, 0);
        await first.FlushAsync();
        await second.FlushAsync();

        var guard = new CanaryGuard(stores.Store, registry, first, stores.Store.Outcomes, stores.Store.Alerts);
        Assert.Empty(await guard.CheckAsync([]));
        Assert.Single(await stores.Store.ListSplitsAsync());
        var use = (await first.VersionUsageAsync("lead_conversion", TimeSpan.FromHours(1)))["1.1.0"];
        Assert.Equal((1_000L, 10_000L, 101L, 1L), (use.Rows, use.FailedRows, use.Calls, use.FailedCalls));

        // Forty more failing calls of one row each: 41 of 141 calls (29 %, at least 22 % at 95 %) is beyond a 5 % guard.
        for (int call = 0; call < 40; call++)
        {
            second.Versions.Record("lead_conversion", "1.1.0", 1, failed: true, 0);
        }

        await second.FlushAsync();
        var rollback = Assert.Single(await guard.CheckAsync([]));
        Assert.Equal(("lead_conversion@1.1.0", CanaryGuard.Kind), (rollback.Subject, rollback.Kind));
        Assert.Contains("141 scoring calls", rollback.Message, StringComparison.Ordinal);
        Assert.Empty(await stores.Store.ListSplitsAsync());
        var cleared = (await stores.Store.ListAuditAsync(1)).Single();
        Assert.Equal(("split.clear", "system:canary-guard"), (cleared.Action, cleared.Actor));
    }
}
