using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Registry;
using Skillscope.Storage;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>What the evaluator does with alerts it cannot measure this time: a pending one starts over; a firing one waits while its subject lacks data and resolves once the rule no longer watches it.</summary>
public sealed class AlertEvaluatorTests
{
    [Fact]
    public async Task Unmeasured_alerts_start_over_when_pending_and_resolve_when_no_longer_watched()
    {
        using var folder = new TempFolder();
        using var store = SqlRegistryStore.Sqlite(folder.File("alerts.db"));
        await store.MigrateAsync();
        var rules = new AlertRuleSet(
        [
            new AlertRule("slow", AlertKinds.LatencyP95, ForMinutes: 5),
            new AlertRule("drift", AlertKinds.FeatureDrift, Window: "1h", ClearMinutes: 0),
        ], []);
        await store.Alerts.SaveRulesAsync(1, AlertRuleSetJson.Serialize(rules), [], WebhookCredentials.None,
            new AuditEntry(0, DateTime.UtcNow, "test", "alerts.rules", "alert rules v1", null, null));
        var clock = new Clock(new DateTime(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc));
        var signals = new Signals();
        var evaluator = new AlertEvaluator(store.Alerts, signals, clock);

        signals.Now = [("slow", new AlertMeasurement("api", 1_500, 1_000, 800, 100)), ("drift", new AlertMeasurement("lead@1.0.0/age", 0.5, 0.2, 0.1, 5_000))];
        var first = await evaluator.EvaluateNowAsync();
        Assert.Equal(["lead@1.0.0/age"], first.Events.Select(e => e.Subject));
        Assert.Equal(2, (await store.Alerts.StatesAsync()).Count);

        // Nothing measured: the pending latency alert goes (its five minutes must be unbroken); the drift one,
        // still watched but short of rows, keeps firing.
        clock.Now = clock.Now.AddMinutes(3);
        signals.Now = [];
        Assert.Empty((await evaluator.EvaluateNowAsync()).Events);
        var firing = Assert.Single(await store.Alerts.StatesAsync());
        Assert.Equal(("drift", AlertState.Firing), (firing.RuleId, firing.Status));

        // The version takes no traffic any more: the alert resolves, once.
        signals.Watched = false;
        var gone = Assert.Single((await evaluator.EvaluateNowAsync()).Events);
        Assert.Equal(AlertEvent.ResolvedType, gone.Type);
        Assert.Contains("no longer watches it", gone.Message, StringComparison.Ordinal);
        Assert.Empty(await store.Alerts.StatesAsync());
        Assert.Empty((await evaluator.EvaluateNowAsync()).Events);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private sealed class Signals : IAlertSignals
    {
        public (string Rule, AlertMeasurement Measurement)[] Now { get; set; } = [];

        public bool Watched { get; set; } = true;

        public Task<IReadOnlyList<AlertMeasurement>> MeasureAsync(AlertRule rule, CancellationToken cancellation = default) =>
            Task.FromResult<IReadOnlyList<AlertMeasurement>>([.. Now.Where(n => n.Rule == rule.Id).Select(n => n.Measurement)]);

        public bool Watches(AlertRule rule, string subject) => Watched;
    }

    private sealed class Clock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }
}
