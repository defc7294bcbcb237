namespace Skillscope.Scoring.Alerts;

/// <summary>
/// One evaluation of every rule: claimed by one replica per interval through the database, it measures each
/// enabled rule, moves each alert along (<see cref="AlertTransitions"/>), and stores every change with its
/// event and deliveries in one transaction, over the revision it read, so replicas never fire an alert twice
/// and a restart loses nothing.
/// </summary>
public sealed class AlertEvaluator(IAlertStore store, IAlertSignals signals, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The rules in force: the latest stored, or the defaults.</summary>
    public async Task<(long Version, AlertRuleSet Rules)> RulesAsync(CancellationToken cancellation = default) =>
        await store.LatestRulesAsync(cancellation).ConfigureAwait(false) is { } latest
            ? (latest.Version, AlertRuleSetJson.Parse(latest.Document))
            : (0, AlertRuleSet.Defaults);

    /// <summary>
    /// Evaluates every rule unless another replica claimed this interval (then returns null): the events
    /// made, and the rules that could not be measured (each with why; the others are evaluated regardless).
    /// </summary>
    public async Task<AlertCycle?> EvaluateAsync(TimeSpan interval, CancellationToken cancellation = default)
    {
        var now = _time.GetUtcNow().UtcDateTime;

        // A little short of the interval, so the replica whose timer ticks a moment early still finds it due.
        var next = now + (interval * 0.9);
        if (!await store.ClaimEvaluationAsync(now, next, cancellation).ConfigureAwait(false))
        {
            return null;
        }

        return await EvaluateNowAsync(cancellation).ConfigureAwait(false);
    }

    /// <summary>Evaluates every rule now, claimed or not (for a caller that already holds the claim, and tests).</summary>
    public async Task<AlertCycle> EvaluateNowAsync(CancellationToken cancellation = default)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var (_, rules) = await RulesAsync(cancellation).ConfigureAwait(false);
        var states = new Dictionary<(string Rule, string Subject), AlertState>();
        foreach (var state in await store.StatesAsync(cancellation).ConfigureAwait(false))
        {
            states[(state.RuleId, state.Subject)] = state;
        }

        var events = new List<AlertEvent>();
        var failures = new List<string>();
        var active = new Dictionary<string, AlertRule>(StringComparer.Ordinal);
        foreach (var rule in rules.Rules)
        {
            if (!rule.Enabled)
            {
                continue;
            }

            var resolved = rule.Resolved();
            active[rule.Id] = resolved;
            IReadOnlyList<AlertMeasurement> measured;
            try
            {
                measured = await signals.MeasureAsync(resolved, cancellation).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                failures.Add($"{rule.Id}: {exception.Message}");
                continue;
            }

            var subjects = new HashSet<string>(StringComparer.Ordinal);
            foreach (var measurement in measured)
            {
                subjects.Add(measurement.Subject);
                var current = states.GetValueOrDefault((rule.Id, measurement.Subject));
                var (next, change) = AlertTransitions.Next(resolved, current, measurement, now);
                if (current is null && next is null)
                {
                    continue;
                }

                await ApplyAsync(current, next, change, rules.Webhooks, events, cancellation).ConfigureAwait(false);
            }

            // Not measured this time: a pending alert starts over (its wait must be unbroken); a firing one
            // stays while its subject lacks data, and resolves once the rule no longer watches it (a version
            // that takes no traffic now, a feature the rule no longer names).
            foreach (var state in states.Values.Where(s => s.RuleId == rule.Id && !subjects.Contains(s.Subject)).ToArray())
            {
                if (!state.IsFiring)
                {
                    await ApplyAsync(state, null, null, rules.Webhooks, events, cancellation).ConfigureAwait(false);
                }
                else if (!signals.Watches(resolved, state.Subject))
                {
                    await ApplyAsync(state, null, AlertTransitions.Dropped(state, rule.Kind, now, $"rule {rule.Id} no longer watches it"), rules.Webhooks, events, cancellation)
                        .ConfigureAwait(false);
                }
            }
        }

        // Alerts of rules removed or disabled resolve (those pending simply go).
        foreach (var state in states.Values)
        {
            if (!active.ContainsKey(state.RuleId))
            {
                string kind = rules.Rules.FirstOrDefault(r => r.Id == state.RuleId)?.Kind ?? "removed";
                await ApplyAsync(state, null, AlertTransitions.Dropped(state, kind, now, $"rule {state.RuleId} was removed or disabled"), rules.Webhooks, events, cancellation)
                    .ConfigureAwait(false);
            }
        }

        return new AlertCycle(now, events, failures);
    }

    private async Task ApplyAsync(AlertState? current, AlertState? next, AlertEvent? change, IReadOnlyList<AlertWebhook> webhooks, List<AlertEvent> events,
        CancellationToken cancellation)
    {
        var takers = change is null ? [] : webhooks.Where(w => w.Takes(change.RuleId)).ToArray();
        var (written, stored) = await store.ApplyAsync(current, next, change, takers, cancellation).ConfigureAwait(false);
        if (written && stored is not null)
        {
            events.Add(stored);
        }
    }
}

/// <summary>What one evaluation did: the events it made (to log), and the rules it could not measure.</summary>
public sealed record AlertCycle(DateTime At, IReadOnlyList<AlertEvent> Events, IReadOnlyList<string> Failures);
