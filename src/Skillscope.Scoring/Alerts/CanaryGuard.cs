using System.Globalization;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Checks every guarded split (<see cref="SplitGuard"/>) and sets it back to production when a candidate is
/// worse beyond its interval: a failure rate (per scoring call) whose 95 % lower bound (Wilson) is above the guard's
/// maximum, or an AUC whose whole 95 % interval of the difference from production lies below the guard's
/// delta. The change is the registry's (audited, every replica follows), and an alert event is stored and
/// delivered to the webhooks. A candidate within its guard, or without enough calls or outcomes, stays.
/// </summary>
public sealed class CanaryGuard(IRegistryStore store, ModelRegistry registry, ModelMonitor monitor, IOutcomeStore outcomes, IAlertStore alerts, TimeProvider? time = null)
{
    public const string RuleId = "canary-guard";

    public const string Kind = "canary_rollback";

    /// <summary>The window a candidate's failure rate is measured over.</summary>
    public static readonly TimeSpan ErrorWindow = TimeSpan.FromHours(1);

    /// <summary>The window outcomes are taken from.</summary>
    public static readonly TimeSpan OutcomeWindow = TimeSpan.FromDays(30);

    /// <summary>Scoring calls a failure rate needs before it is judged.</summary>
    public const int MinimumCalls = 20;

    /// <summary>Outcomes of each class (0 and 1) an AUC needs on each side before it is judged.</summary>
    public const int MinimumPerClass = 10;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Checks every guarded split; returns the rollbacks made (as their alert events).</summary>
    public async Task<IReadOnlyList<AlertEvent>> CheckAsync(IReadOnlyList<AlertWebhook> webhooks, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        var made = new List<AlertEvent>();
        foreach (var split in await store.ListSplitsAsync(cancellation).ConfigureAwait(false))
        {
            if (split.Guard is not { } guard)
            {
                continue;
            }

            var aliases = await store.ListAliasesAsync(split.Name, cancellation).ConfigureAwait(false);
            if (aliases.FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version is not { } incumbent)
            {
                continue;
            }

            if (await VerdictAsync(split, guard, incumbent, cancellation).ConfigureAwait(false) is not { } verdict)
            {
                continue;
            }

            // Only the split that was judged: one changed meanwhile (by an admin) is judged afresh next time.
            var now = (await store.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == split.Name);
            if (now is null || !now.Shares.SequenceEqual(split.Shares))
            {
                continue;
            }

            await registry.SplitAsync(split.Name, [], $"system:{RuleId}", cancellation: cancellation).ConfigureAwait(false);
            var rollback = new AlertEvent(0, RuleId, Kind, $"{split.Name}@{verdict.Candidate}", AlertEvent.Fired, _time.GetUtcNow().UtcDateTime, verdict.Value, verdict.Threshold,
                $"{split.Name}: traffic set back to production ({incumbent}) because {verdict.Candidate} {verdict.Reason}");
            var (_, stored) = await alerts.ApplyAsync(null, null, rollback, [.. webhooks.Where(w => w.Takes(RuleId))], cancellation).ConfigureAwait(false);
            made.Add(stored ?? rollback);
        }

        return made;
    }

    private async Task<Verdict?> VerdictAsync(TrafficSplit split, SplitGuard guard, string incumbent, CancellationToken cancellation)
    {
        var usage = guard.MaxErrorRate is null ? null : await monitor.VersionUsageAsync(split.Name, ErrorWindow, cancellation).ConfigureAwait(false);
        var scored = guard.MinAucDelta is null ? [] : await outcomes.ScoredOutcomesAsync(split.Name, _time.GetUtcNow().UtcDateTime - OutcomeWindow, cancellation).ConfigureAwait(false);
        foreach (var share in split.Shares)
        {
            string candidate = share.Version;
            if (candidate == incumbent)
            {
                continue;
            }

            if (guard.MaxErrorRate is { } maxRate && usage!.TryGetValue(candidate, out var counts) && counts.Calls >= MinimumCalls)
            {
                double rate = counts.FailureRate!.Value;
                double lower = WilsonLower(counts.FailedCalls, counts.Calls);
                if (lower > maxRate)
                {
                    return new Verdict(candidate, rate, maxRate, string.Create(CultureInfo.InvariantCulture,
                        $"failed on {rate:P1} of its {counts.Calls:N0} scoring calls in the last hour (at least {lower:P1} at 95 %), above the guard's {maxRate:P1}"));
                }
            }

            if (guard.MinAucDelta is { } minDelta)
            {
                var mine = VersionOutcomes.Evenly([.. scored.Where(o => o.Version == candidate)]);
                var theirs = VersionOutcomes.Evenly([.. scored.Where(o => o.Version == incumbent)]);
                if (mine.Length >= guard.MinOutcomes && theirs.Length >= guard.MinOutcomes && BothClasses(mine) && BothClasses(theirs)
                    && VersionOutcomes.Difference(mine, theirs, VersionOutcomes.AucOf) is { } difference && difference.High < minDelta)
                {
                    return new Verdict(candidate, difference.Value, minDelta, string.Create(CultureInfo.InvariantCulture,
                        $"has an AUC {difference.Value:+0.000;-0.000} from production's on {mine.Length:N0} and {theirs.Length:N0} outcomes (95 % interval {difference.Low:+0.000;-0.000} to {difference.High:+0.000;-0.000}), below the guard's {minDelta:+0.000;-0.000}"));
                }
            }
        }

        return null;
    }

    /// <summary>
    /// True when the outcomes are 0/1 labels with at least <see cref="MinimumPerClass"/> of each: an AUC means
    /// something only then (a guard on a model whose outcomes are not 0/1 never acts on AUC).
    /// </summary>
    private static bool BothClasses(ScoredOutcome[] outcomes)
    {
        int positives = 0, negatives = 0;
        foreach (var outcome in outcomes)
        {
            switch (outcome.Label)
            {
                case 1:
                    positives++;
                    break;
                case 0:
                    negatives++;
                    break;
                default:
                    return false;
            }
        }

        return positives >= MinimumPerClass && negatives >= MinimumPerClass;
    }

    /// <summary>The lower end of the 95 % Wilson interval of a proportion.</summary>
    private static double WilsonLower(long successes, long total)
    {
        const double Z = 1.959964;
        double p = (double)successes / total, z2 = Z * Z;
        return Math.Max(0, (p + (z2 / (2 * total)) - (Z * Math.Sqrt((p * (1 - p) / total) + (z2 / (4.0 * total * total))))) / (1 + (z2 / total)));
    }

    private sealed record Verdict(string Candidate, double Value, double Threshold, string Reason);
}
