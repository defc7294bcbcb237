using System.Text;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Monitoring;
using Xunit;

namespace Skillscope.Scoring.Tests;

/// <summary>The life of an alert (fire once, resolve once, no flapping), the rules' defaults and checks, signatures and request counts.</summary>
public sealed class AlertRuleTests
{
    private static readonly DateTime Start = new(2026, 12, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_value_hovering_at_the_threshold_fires_once_and_resolves_once()
    {
        var rule = new AlertRule("errors", AlertKinds.ErrorRate, ClearMinutes: 5).Resolved();
        double[] values = [0.01, 0.06, 0.049, 0.051, 0.045, 0.06, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.03, 0.051, 0.02];
        AlertState? state = null;
        var events = new List<AlertEvent>();
        for (int minute = 0; minute < values.Length; minute++)
        {
            var (next, change) = AlertTransitions.Next(rule, state, new AlertMeasurement("api", values[minute], rule.Threshold!.Value, rule.ClearThreshold!.Value, 100), Start.AddMinutes(minute));
            if (state is null && next is null)
            {
                continue;
            }

            state = next;
            if (change is not null)
            {
                events.Add(change);
            }
        }

        // Fired at 0.06; 0.049 and 0.045 lie between the clear threshold (0.04) and the threshold, so it stays firing;
        // 0.03 from minute 6 is clear, and five minutes later (minute 11) it resolves; 0.051 at minute 13 fires it again.
        Assert.Equal([(AlertEvent.Fired, 1), (AlertEvent.ResolvedType, 11), (AlertEvent.Fired, 13)],
            events.Select(e => (e.Type, (int)(e.At - Start).TotalMinutes)));
        Assert.Contains("server error rate of api is 0.06, at or above 0.05 over 5m (rule errors)", events[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rule_with_for_minutes_fires_only_once_the_measure_has_held_that_long()
    {
        var rule = new AlertRule("slow", AlertKinds.LatencyP95, ForMinutes: 3, ClearMinutes: 0).Resolved();
        AlertState? state = null;
        var fired = new List<int>();
        double[] values = [1500, 1500, 200, 1500, 1500, 1500, 1500, 100];
        for (int minute = 0; minute < values.Length; minute++)
        {
            var (next, change) = AlertTransitions.Next(rule, state, new AlertMeasurement("api", values[minute], 1000, 800, 50), Start.AddMinutes(minute));
            state = next;
            if (change is { Type: AlertEvent.Fired })
            {
                fired.Add(minute);
            }
        }

        // The dip at minute 2 starts the wait again: pending from minute 3, firing at minute 6; resolved at once at minute 7.
        Assert.Equal([6], fired);
        Assert.Null(state);
    }

    [Fact]
    public void A_correlation_rule_fires_as_r_falls()
    {
        var rule = new AlertRule("agreement", AlertKinds.RatingCorrelation, ClearMinutes: 0).Resolved();
        Assert.Equal((0.5, 0.55), (rule.Threshold, rule.ClearThreshold));
        var (firing, fired) = AlertTransitions.Next(rule, null, new AlertMeasurement("empathy", 0.42, 0.5, 0.55, 40), Start);
        Assert.Equal(AlertEvent.Fired, fired!.Type);
        var (still, none) = AlertTransitions.Next(rule, firing, new AlertMeasurement("empathy", 0.53, 0.5, 0.55, 40), Start.AddMinutes(1));
        Assert.Null(none);
        Assert.True(still!.IsFiring);
        var (gone, resolved) = AlertTransitions.Next(rule, still, new AlertMeasurement("empathy", 0.6, 0.5, 0.55, 40), Start.AddMinutes(2));
        Assert.Null(gone);
        Assert.Equal(AlertEvent.ResolvedType, resolved!.Type);
    }

    [Fact]
    public void The_default_rules_are_the_seeds_and_pass_their_own_checks()
    {
        Assert.Empty(AlertRuleSet.Defaults.Problems(new HashSet<string>()));
        var resolved = AlertRuleSet.Defaults.Rules.Select(r => r.Resolved()).ToDictionary(r => r.Kind);
        Assert.Equal(0.05, resolved[AlertKinds.ErrorRate].Threshold);
        Assert.Equal(1_000, resolved[AlertKinds.LatencyP95].Threshold);
        Assert.Equal((0.05, 0.6), (resolved[AlertKinds.LowCoverage].Threshold, resolved[AlertKinds.LowCoverage].CoverageBelow));
        Assert.Equal(0.2, resolved[AlertKinds.LlmFallback].Threshold);
        Assert.Null(resolved[AlertKinds.FeatureDrift].Threshold);
        Assert.Equal("24h", resolved[AlertKinds.FeatureDrift].Window);
    }

    [Theory]
    [InlineData("feature_drift", "90m", "whole hours or days")]
    [InlineData("error_rate", "2w", "is not a number of minutes, hours or days")]
    [InlineData("error_rate", "91d", "is not a number of minutes, hours or days")]
    [InlineData("error_rate", "0m", "is not a number of minutes, hours or days")]
    public void A_window_that_cannot_work_is_named(string kind, string window, string expected)
    {
        var problems = new AlertRuleSet([new AlertRule("r", kind, Window: window)], []).Problems(new HashSet<string>());
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void A_drift_rule_sets_both_thresholds_or_neither_and_coverage_is_in_twentieths()
    {
        var problems = new AlertRuleSet(
        [
            new AlertRule("a", AlertKinds.FeatureDrift, Threshold: 0.3),
            new AlertRule("b", AlertKinds.LowCoverage, CoverageBelow: 0.62),
            new AlertRule("c", AlertKinds.ErrorRate, Model: "lead"),
            new AlertRule("d", AlertKinds.ScoreDrift, Feature: "age"),
        ], []).Problems(new HashSet<string>());
        Assert.Contains(problems, p => p.StartsWith("rule \"a\": a drift rule sets both", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rule \"b\": coverage_below must be a multiple of 0.05", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rule \"c\": model applies to", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("rule \"d\": feature applies to feature_drift rules only", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("https://user:pw@example.org/h", "must not hold credentials")]
    [InlineData("https://example.org/h#frag", "must not have a fragment")]
    [InlineData("file:///etc/passwd", "must be http or https")]
    [InlineData("/relative", "must be http or https")]
    [InlineData("not a url", "is not an absolute URL")]
    public void A_webhook_url_that_cannot_be_posted_to_is_refused(string url, string expected) =>
        Assert.Contains(expected, AlertRuleSet.UrlProblem(url), StringComparison.Ordinal);

    [Fact]
    public void A_signature_is_over_the_time_and_the_body_and_checks_only_with_the_same_secret()
    {
        var body = Encoding.UTF8.GetBytes("{\"event\":\"alert.firing\"}");
        string header = WebhookSignature.Sign("sixteen-chars-secret", 1_765_000_000, body);
        Assert.StartsWith("t=1765000000,v1=", header, StringComparison.Ordinal);
        Assert.Equal(64, header.Split("v1=")[1].Length);
        Assert.True(WebhookSignature.Verify("sixteen-chars-secret", header, body));
        Assert.False(WebhookSignature.Verify("another-secret-entirely", header, body));
        Assert.False(WebhookSignature.Verify("sixteen-chars-secret", header.Replace("t=1765000000", "t=1765000001", StringComparison.Ordinal), body));
        Assert.False(WebhookSignature.Verify("sixteen-chars-secret", header, Encoding.UTF8.GetBytes("{\"event\":\"alert.resolved\"}")));
        Assert.False(WebhookSignature.Verify("sixteen-chars-secret", "garbage", body));
    }

    [Fact]
    public void Request_counts_give_a_percentile_within_the_slot_it_falls_in()
    {
        var tally = new RequestTally();
        for (int i = 0; i < 94; i++)
        {
            tally.Record(TimeSpan.FromMilliseconds(3), failed: false);
        }

        for (int i = 0; i < 6; i++)
        {
            tally.Record(TimeSpan.FromMilliseconds(1_800), failed: i == 0);
        }

        var minute = Assert.Single(tally.TakeChanged());
        Assert.Equal((100, 1), (minute.Requests, minute.Failures));
        Assert.Empty(tally.TakeChanged());

        // The 95th request is the first of six in the 1,000–2,500 ms slot: 1/6 of the way into it.
        Assert.Equal(1_250, RequestCounts.Quantile(minute.Latency, 0.95)!.Value, 6);
        Assert.InRange(RequestCounts.Quantile(minute.Latency, 0.5)!.Value, 2.5, 5);
        Assert.Null(RequestCounts.Quantile(new long[RequestCounts.LatencySlots], 0.95));
    }

    [Theory]
    [InlineData(0, 26, 0)]
    [InlineData(15, 26, 11)]
    [InlineData(16, 26, 12)]
    [InlineData(3, 5, 12)]
    [InlineData(26, 26, 19)]
    public void Coverage_slots_split_exactly_at_each_twentieth(int present, int features, int slot) =>
        Assert.Equal(slot, LiveCounts.CoverageSlotOf(present, features));
}
