using Skillscope.Scoring.Monitoring;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>Reference profiles and live counts as replicas share them: the first reference stored wins, and each writer's hours sum.</summary>
public sealed class MonitoringStoreTests
{
    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task The_first_reference_stored_is_every_replicas_and_live_counts_sum_across_writers_per_hour(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var monitoring = stores.Store.Monitoring;
        Assert.Null(await monitoring.GetReferenceAsync("lead", "1.0.0"));

        var first = Profile(new Random(1), ReferenceProfile.FirstScoredRows);
        var second = Profile(new Random(2), ReferenceProfile.TrainingData);
        var stored = await monitoring.AddReferenceAsync("lead", "1.0.0", first);
        Assert.Equal(first.Source, stored.Source);
        Assert.Equal(first.Features[0].Edges, stored.Features[0].Edges);
        Assert.Equal(first.Features[1].Counts, stored.Features[1].Counts);
        Assert.True(float.IsNaN(stored.Features[2].Min));
        Assert.Equal(first.Score!.Counts, stored.Score!.Counts);

        // A second replica's own reference loses to the one stored.
        Assert.Equal(first.Features[0].Edges, (await monitoring.AddReferenceAsync("lead", "1.0.0", second)).Features[0].Edges);
        Assert.Equal(ReferenceProfile.TrainingData, (await monitoring.AddReferenceAsync("lead", "2.0.0", second)).Source);

        int slots = first.Slots;
        var nine = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        long[] Counts(long value) => [.. Enumerable.Repeat(value, slots)];
        await monitoring.SaveLiveCountsAsync("lead", "1.0.0", "a", [new LiveCounts(nine, 10, Counts(1)), new LiveCounts(nine.AddHours(1), 20, Counts(2))]);
        await monitoring.SaveLiveCountsAsync("lead", "1.0.0", "b", [new LiveCounts(nine.AddHours(1), 5, Counts(3)) { Coverage = [.. Enumerable.Repeat(2L, LiveCounts.CoverageSlots)] }]);

        // A writer's later totals of the same hour replace its earlier ones.
        await monitoring.SaveLiveCountsAsync("lead", "1.0.0", "a", [new LiveCounts(nine.AddHours(1), 25, Counts(4))]);
        await monitoring.SaveLiveCountsAsync("lead", "2.0.0", "a", [new LiveCounts(nine, 99, Counts(9))]);

        var hours = await monitoring.LiveCountsAsync("lead", "1.0.0", nine, nine.AddHours(3));
        Assert.Equal([nine, nine.AddHours(1)], hours.Select(h => h.HourStart));
        Assert.Equal([10L, 30L], hours.Select(h => h.Rows));
        Assert.All(hours[1].Counts, c => Assert.Equal(7, c));
        Assert.Equal(LiveCounts.CoverageSlots, hours[1].Coverage.Length);
        Assert.All(hours[1].Coverage, c => Assert.Equal(2, c));
        Assert.Single(await monitoring.LiveCountsAsync("lead", "1.0.0", nine.AddMinutes(30), nine.AddHours(3)));
        Assert.Empty(await monitoring.LiveCountsAsync("lead", "1.0.0", nine.AddHours(2), nine.AddHours(3)));

        // Counts past their keeping go for every version.
        await monitoring.PruneAsync(nine.AddHours(1), DateTime.UnixEpoch);
        Assert.Single(await monitoring.LiveCountsAsync("lead", "1.0.0", nine, nine.AddHours(3)));
        Assert.Empty(await monitoring.LiveCountsAsync("lead", "2.0.0", nine, nine.AddHours(3)));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Request_counts_of_each_writer_are_kept_per_minute_and_pruned(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var monitoring = stores.Store.Monitoring;
        var nine = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        long[] latency = [.. Enumerable.Range(0, RequestCounts.LatencySlots).Select(i => (long)i)];
        await monitoring.SaveRequestCountsAsync("a", [new RequestCounts(nine, 10, 1, latency), new RequestCounts(nine.AddMinutes(1), 4, 0, latency)]);
        await monitoring.SaveRequestCountsAsync("a", [new RequestCounts(nine.AddMinutes(1), 8, 2, latency)]);
        await monitoring.SaveRequestCountsAsync("b", [new RequestCounts(nine.AddMinutes(1), 5, 0, latency)]);
        var minutes = await monitoring.RequestCountsAsync(nine, nine.AddMinutes(5));
        Assert.Equal([10L, 8L, 5L], minutes.Select(m => m.Requests));
        Assert.Equal(3, minutes.Sum(m => m.Failures));
        Assert.Equal(latency, minutes[2].Latency);
        await monitoring.PruneAsync(DateTime.UnixEpoch, nine.AddMinutes(1));
        Assert.Equal(2, (await monitoring.RequestCountsAsync(nine, nine.AddMinutes(5))).Count);
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Outcomes_match_the_latest_score_of_each_entity_and_version_counts_sum_per_version(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var monitoring = stores.Store.Monitoring;
        var outcomes = stores.Store.Outcomes;
        var nine = new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);
        await monitoring.SavePredictionsAsync([new LoggedPrediction("lead", "a", "1.0.0", 0.25f, nine), new LoggedPrediction("lead", "b", "1.0.0", 0.75f, nine)]);
        await monitoring.SavePredictionsAsync([new LoggedPrediction("lead", "b", "2.0.0", 0.5f, nine.AddMinutes(1)), new LoggedPrediction("churn", "c", "1.0.0", 0.1f, nine)]);
        var latest = await outcomes.LatestScoresAsync("lead", ["a", "b", "c"]);
        Assert.Equal(["a", "b"], latest.Keys.Order());
        Assert.Equal(("2.0.0", 0.5f), latest["b"]);

        await outcomes.SaveOutcomesAsync("lead",
            [new MatchedOutcome("a", "1.0.0", 0.25f, 1, nine.AddDays(1)), new MatchedOutcome("b", "2.0.0", 0.5f, 0, nine.AddDays(1)), new MatchedOutcome("a", "1.0.0", 0.25f, 0, nine.AddDays(2))]);

        // Rescored later: the outcome stays with the score it was matched with.
        await monitoring.SavePredictionsAsync([new LoggedPrediction("lead", "a", "2.0.0", 0.9f, nine.AddDays(3))]);
        var scored = await outcomes.ScoredOutcomesAsync("lead", nine);
        Assert.Equal([new ScoredOutcome("1.0.0", 0.25f, 0), new ScoredOutcome("2.0.0", 0.5f, 0)], scored);
        Assert.Single(await outcomes.ScoredOutcomesAsync("lead", nine.AddDays(1.5)));

        await monitoring.SaveVersionCountsAsync("w1", [new VersionCounts("lead", "1.0.0", nine, 10, 1, 3, 1, 5_000), new VersionCounts("lead", "2.0.0", nine, 4, 0, 1, 0, 800)]);
        await monitoring.SaveVersionCountsAsync("w2", [new VersionCounts("lead", "1.0.0", nine, 6, 0, 2, 0, 1_000)]);
        var counts = await monitoring.VersionCountsAsync("lead", nine, nine.AddMinutes(1));
        Assert.Equal(16, counts.Where(c => c.Version == "1.0.0").Sum(c => c.Rows));
        Assert.Equal(1, counts.Sum(c => c.FailedRows));
        Assert.Equal((5L, 1L), (counts.Where(c => c.Version == "1.0.0").Sum(c => c.Calls), counts.Sum(c => c.FailedCalls)));

        await monitoring.PruneAsync(nine.AddDays(2.5), nine.AddMinutes(1));
        Assert.Empty(await monitoring.VersionCountsAsync("lead", nine, nine.AddMinutes(1)));
        Assert.Empty(await outcomes.ScoredOutcomesAsync("lead", nine));
    }

    [Fact]
    public async Task Counts_that_cannot_be_written_are_written_later_none_lost()
    {
        await using var stores = await TestStores.CreateAsync("sqlite");
        var monitor = new ModelMonitor(stores.Store.Monitoring, 100);
        monitor.Requests.Record(TimeSpan.FromMilliseconds(3), failed: true);
        monitor.Versions.Record("lead", "1.0.0", 10, failed: false, 1_000);

        // The tables are away (as a database is during an outage): the flush fails and keeps what it took.
        await Sql(stores, "ALTER TABLE request_counts RENAME TO request_counts_away; ALTER TABLE version_counts RENAME TO version_counts_away");
        await Assert.ThrowsAsync<AggregateException>(() => monitor.FlushAsync());
        monitor.Requests.Record(TimeSpan.FromMilliseconds(3), failed: false);
        await Sql(stores, "ALTER TABLE request_counts_away RENAME TO request_counts; ALTER TABLE version_counts_away RENAME TO version_counts");
        await monitor.FlushAsync();

        var requests = await monitor.RequestsAsync(TimeSpan.FromMinutes(5));
        Assert.Equal((2, 1), (requests.Requests, requests.Failures));
        Assert.Equal(10, (await monitor.VersionUsageAsync("lead", TimeSpan.FromMinutes(5)))["1.0.0"].Rows);
    }

    private static async Task Sql(TestStores stores, string sql)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(stores.Directory, "skillscope.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static ReferenceProfile Profile(Random random, string source)
    {
        string[] names = ["a", "b", "never"];
        var matrix = new float[300 * 3];
        var scores = new float[300];
        for (int r = 0; r < 300; r++)
        {
            matrix[r * 3] = (float)random.NextDouble();
            matrix[(r * 3) + 1] = random.Next(0, 4);
            matrix[(r * 3) + 2] = float.NaN;
            scores[r] = (float)random.NextDouble();
        }

        return ProfileBuilder.Build(source, names, matrix, scores, new DateTime(2026, 12, 7, 8, 0, 0, DateTimeKind.Utc));
    }
}
