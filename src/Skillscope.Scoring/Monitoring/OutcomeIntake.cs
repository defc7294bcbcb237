using System.Globalization;

namespace Skillscope.Scoring.Monitoring;

/// <summary>An outcome as sent (API or CSV), before it is checked: any part may be missing or malformed.</summary>
/// <param name="EntityId">The scored entity.</param>
/// <param name="Label">The label (null: not a number).</param>
/// <param name="At">When it was known, ISO 8601 (null: now).</param>
public sealed record OutcomeInput(string? EntityId, double? Label, string? At);

/// <summary>An outcome that was not recorded, and why, by its position in what was sent.</summary>
public sealed record OutcomeRefusal(int Index, string? EntityId, string Code, string Message);

/// <summary>
/// Records outcomes as every entry point takes them: each one checked on its own (entity id, a label in the
/// objective's domain, a time not in the future) and matched with a score the model gave the entity; what
/// fails is reported per item and the rest is kept.
/// </summary>
public static class OutcomeIntake
{
    public static async Task<(int Recorded, IReadOnlyList<OutcomeRefusal> Refused)> RecordAsync(
        IOutcomeStore store, string model, string objective, IReadOnlyList<OutcomeInput> items, DateTime now, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(items);
        var refused = new List<OutcomeRefusal>();
        var valid = new List<(int Index, Outcome Outcome)>();
        for (int i = 0; i < items.Count; i++)
        {
            var (outcome, refusal) = Check(items[i], i, objective, now);
            if (refusal is not null)
            {
                refused.Add(refusal);
            }
            else
            {
                valid.Add((i, outcome!));
            }
        }

        var scores = await store.LatestScoresAsync(model, [.. valid.Select(v => v.Outcome.EntityId)], cancellation).ConfigureAwait(false);
        var known = new List<MatchedOutcome>(valid.Count);
        foreach (var (index, outcome) in valid)
        {
            if (scores.TryGetValue(outcome.EntityId, out var scored))
            {
                known.Add(new MatchedOutcome(outcome.EntityId, scored.Version, scored.Score, outcome.Label, outcome.At));
            }
            else
            {
                refused.Add(new OutcomeRefusal(index, outcome.EntityId, "unknown_entity",
                    $"{model} has not scored \"{outcome.EntityId}\" (or its score is past keeping): there is nothing to match the outcome with"));
            }
        }

        if (known.Count > 0)
        {
            await store.SaveOutcomesAsync(model, known, cancellation).ConfigureAwait(false);
        }

        return (known.Count, [.. refused.OrderBy(r => r.Index)]);
    }

    private static (Outcome? Outcome, OutcomeRefusal? Refusal) Check(OutcomeInput? item, int index, string objective, DateTime now)
    {
        if (item?.EntityId is not { Length: > 0 and <= 256 } entity)
        {
            return (null, new OutcomeRefusal(index, item?.EntityId, "invalid_entity_id", "entity_id must be a string of 1 to 256 characters"));
        }

        if (item.Label is not { } label)
        {
            return (null, new OutcomeRefusal(index, entity, "invalid_label", "label must be a number"));
        }

        if (OutcomeLabels.Problem(objective, label) is { } labelProblem)
        {
            return (null, new OutcomeRefusal(index, entity, "invalid_label", labelProblem));
        }

        var at = now;
        if (item.At is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                return (null, new OutcomeRefusal(index, entity, "invalid_time", $"at \"{text}\" is not an ISO 8601 time such as 2026-12-06T14:00:00Z"));
            }

            at = parsed.UtcDateTime;
            if (at > now.AddDays(1))
            {
                return (null, new OutcomeRefusal(index, entity, "invalid_time", $"at {text} is in the future"));
            }
        }

        return (new Outcome(entity, label, at), null);
    }
}
