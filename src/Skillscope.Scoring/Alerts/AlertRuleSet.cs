using System.Globalization;
using System.Text.RegularExpressions;

namespace Skillscope.Scoring.Alerts;

/// <summary>Every alert rule and webhook of the installation, edited as one document.</summary>
public sealed partial record AlertRuleSet(IReadOnlyList<AlertRule> Rules, IReadOnlyList<AlertWebhook> Webhooks)
{
    public const int MaxRules = 200;

    public const int MaxWebhooks = 20;

    /// <summary>The longest window of an error-rate or latency rule: request counts are kept a day longer.</summary>
    public static readonly TimeSpan MaxRequestWindow = TimeSpan.FromDays(7);

    /// <summary>The highest latency threshold: the last bound of the latency slots, above which requests are not told apart.</summary>
    public static double MaxLatencyMs => Monitoring.RequestCounts.LatencyBoundsMs[^1];

    /// <summary>The rules an installation starts with: the seed documents' alerts, delivered to no webhook until one is added.</summary>
    public static AlertRuleSet Defaults { get; } = new(
    [
        new AlertRule("feature-drift", AlertKinds.FeatureDrift),
        new AlertRule("score-drift", AlertKinds.ScoreDrift),
        new AlertRule("low-coverage", AlertKinds.LowCoverage),
        new AlertRule("error-rate", AlertKinds.ErrorRate),
        new AlertRule("latency-p95", AlertKinds.LatencyP95),
        new AlertRule("rating-correlation", AlertKinds.RatingCorrelation),
        new AlertRule("llm-fallback", AlertKinds.LlmFallback),
    ], []);

    /// <summary>
    /// Every reason this set cannot be used, each naming the rule or webhook and the setting; empty when it
    /// can. <paramref name="withSecret"/> names the webhooks that have (or are given) a signing secret.
    /// </summary>
    public IReadOnlyList<string> Problems(ISet<string> withSecret)
    {
        ArgumentNullException.ThrowIfNull(withSecret);
        var problems = new List<string>();
        if (Rules.Count > MaxRules)
        {
            problems.Add($"at most {MaxRules} rules, not {Rules.Count}");
        }

        if (Webhooks.Count > MaxWebhooks)
        {
            problems.Add($"at most {MaxWebhooks} webhooks, not {Webhooks.Count}");
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            string name = rule?.Id is { Length: > 0 } id ? $"rule \"{id}\"" : $"rule {i}";
            if (rule is null)
            {
                problems.Add($"{name} is null");
                continue;
            }

            if (!IdPattern().IsMatch(rule.Id ?? ""))
            {
                problems.Add($"{name}: id must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
            }
            else if (!ids.Add(rule.Id!))
            {
                problems.Add($"{name}: the id is used twice");
            }

            problems.AddRange(RuleProblems(rule).Select(problem => $"{name}: {problem}"));
        }

        var webhookIds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < Webhooks.Count; i++)
        {
            var webhook = Webhooks[i];
            string name = webhook?.Id is { Length: > 0 } id ? $"webhook \"{id}\"" : $"webhook {i}";
            if (webhook is null)
            {
                problems.Add($"{name} is null");
                continue;
            }

            if (!IdPattern().IsMatch(webhook.Id ?? ""))
            {
                problems.Add($"{name}: id must be 1 to 64 lowercase letters, digits, '-' or '_', starting with a letter or digit");
            }
            else if (!webhookIds.Add(webhook.Id!))
            {
                problems.Add($"{name}: the id is used twice");
            }

            if (UrlProblem(webhook.Url) is { } urlProblem)
            {
                problems.Add($"{name}: {urlProblem}");
            }

            if (webhook.Format is not (AlertWebhook.Json or AlertWebhook.Slack))
            {
                problems.Add($"{name}: format must be \"json\" or \"slack\", not \"{webhook.Format}\"");
            }
            else if (webhook.Format == AlertWebhook.Json && webhook.Id is not null && !withSecret.Contains(webhook.Id))
            {
                problems.Add($"{name}: a json webhook needs a secret (16 to 256 characters) to sign its deliveries with");
            }

            foreach (string rule in webhook.Rules ?? [])
            {
                if (!ids.Contains(rule))
                {
                    problems.Add($"{name}: no rule \"{rule}\"");
                }
            }
        }

        return problems;
    }

    /// <summary>Why <paramref name="url"/> cannot be posted to, or null: an absolute http(s) URL with a host, no credentials and no fragment.</summary>
    public static string? UrlProblem(string? url) =>
        !Uri.TryCreate(url, UriKind.Absolute, out var uri) ? $"url \"{url}\" is not an absolute URL"
        : uri.Scheme is not ("https" or "http") ? $"url \"{url}\" must be http or https"
        : uri.Host.Length == 0 ? $"url \"{url}\" has no host"
        : uri.UserInfo.Length > 0 ? "url must not hold credentials (the secret signs each delivery instead)"
        : uri.Fragment.Length > 0 ? $"url \"{url}\" must not have a fragment"
        : null;

    private static IEnumerable<string> RuleProblems(AlertRule rule)
    {
        if (!AlertKinds.All.Contains(rule.Kind, StringComparer.Ordinal))
        {
            yield return $"kind \"{rule.Kind}\" is not one of {string.Join(", ", AlertKinds.All)}";
            yield break;
        }

        var resolved = rule.Resolved();
        if (AlertWindow.Parse(resolved.Window) is not { } window)
        {
            yield return $"window \"{rule.Window}\" is not a number of minutes, hours or days such as 5m, 24h or 7d (at most 90d)";
        }
        else if (AlertKinds.PerModel(rule.Kind) && window.Ticks % TimeSpan.TicksPerHour != 0)
        {
            yield return $"window \"{rule.Window}\": rows are counted per hour, so a {rule.Kind} window is whole hours or days";
        }
        else if (rule.Kind is AlertKinds.ErrorRate or AlertKinds.LatencyP95 && window > MaxRequestWindow)
        {
            yield return $"window \"{rule.Window}\": request counts are kept 8 days, so a {rule.Kind} window is at most 7d";
        }

        if (ThresholdProblem(rule.Kind, resolved.Threshold, "threshold") is { } threshold)
        {
            yield return threshold;
        }

        if (ThresholdProblem(rule.Kind, resolved.ClearThreshold, "clear_threshold") is { } clear)
        {
            yield return clear;
        }
        else if (resolved.Threshold is { } fire && resolved.ClearThreshold is { } back && (AlertKinds.FiresBelow(rule.Kind) ? back < fire : back > fire))
        {
            yield return $"clear_threshold {Number(back)} must be {(AlertKinds.FiresBelow(rule.Kind) ? "at or above" : "at or below")} the threshold {Number(fire)}, so the alert can resolve";
        }

        if (AlertKinds.IsDrift(rule.Kind) && (rule.Threshold is null) != (rule.ClearThreshold is null))
        {
            yield return "a drift rule sets both threshold and clear_threshold, or neither (then each variable's drift thresholds apply)";
        }

        if (rule.ForMinutes is < 0 or > 1440 || rule.ClearMinutes is < 0 or > 1440)
        {
            yield return "for_minutes and clear_minutes must be between 0 and 1440";
        }

        if (rule.MinimumCount is < 1)
        {
            yield return $"minimum_count must be 1 or more, not {rule.MinimumCount}";
        }

        if (rule.Model is not null && (!AlertKinds.PerModel(rule.Kind) || rule.Model.Length == 0))
        {
            yield return AlertKinds.PerModel(rule.Kind) ? "model must not be empty" : $"model applies to {AlertKinds.FeatureDrift}, {AlertKinds.ScoreDrift} and {AlertKinds.LowCoverage} rules only";
        }

        if (rule.Feature is not null && (rule.Kind != AlertKinds.FeatureDrift || rule.Feature.Length == 0))
        {
            yield return rule.Kind == AlertKinds.FeatureDrift ? "feature must not be empty" : $"feature applies to {AlertKinds.FeatureDrift} rules only";
        }

        if (rule.CoverageBelow is { } below && (rule.Kind != AlertKinds.LowCoverage || !(below is > 0 and <= 1) || Math.Abs((below * 20) - Math.Round(below * 20)) > 1e-9))
        {
            yield return rule.Kind == AlertKinds.LowCoverage
                ? $"coverage_below must be a multiple of 0.05 above 0 and at most 1, not {Number(below)}"
                : $"coverage_below applies to {AlertKinds.LowCoverage} rules only";
        }
    }

    private static string? ThresholdProblem(string kind, double? value, string name)
    {
        if (value is not { } v)
        {
            return null;
        }

        bool valid = kind switch
        {
            AlertKinds.FeatureDrift or AlertKinds.ScoreDrift => v is > 0 and <= 10,
            AlertKinds.LatencyP95 => v > 0 && v <= MaxLatencyMs,
            AlertKinds.RatingCorrelation => v is >= -1 and <= 1,
            _ => v is >= 0 and <= 1,
        };
        return valid ? null : kind switch
        {
            AlertKinds.FeatureDrift or AlertKinds.ScoreDrift => $"{name} {Number(v)} must be an excess stability index above 0 and at most 10",
            AlertKinds.LatencyP95 => $"{name} {Number(v)} must be milliseconds above 0 and at most {Number(MaxLatencyMs)} (the slowest latency slot counted)",
            AlertKinds.RatingCorrelation => $"{name} {Number(v)} must be a correlation between -1 and 1",
            _ => $"{name} {Number(v)} must be a share between 0 and 1",
        };
    }

    private static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,63}$")]
    private static partial Regex IdPattern();
}
