using System.Globalization;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Learning;

/// <summary>
/// Moves challengers on, one stage at a time, on the evidence the serving path gathers: from the shadow to a
/// guarded canary once it has shadowed long enough and well enough; from the canary to promotion (or to an
/// admin's approval, <c>Training:RequireApproval</c>) once the canary has served long enough without its guard
/// setting it back; to stopped, with the reason, whenever the evidence goes against it or someone changed
/// production, the shadow or the split by hand. Each move is written over the stage read (one replica makes
/// it) before its actions, and audited.
/// </summary>
internal sealed class RolloutAdvancer(IRolloutStore rollouts, IRegistryStore registryStore, ModelRegistry registry, ModelMonitor monitor, TrainingOptions settings,
    TimeProvider time)
{
    public const string Actor = "rollout";

    /// <summary>Checks every rollout under way; returns the moves made.</summary>
    public async Task<IReadOnlyList<Rollout>> CheckAsync(CancellationToken cancellation = default)
    {
        var moves = new List<Rollout>();
        foreach (var rollout in await rollouts.ListRolloutsAsync(cancellation).ConfigureAwait(false))
        {
            if (rollout.IsActive && await NextAsync(rollout, cancellation).ConfigureAwait(false) is { } moved)
            {
                moves.Add(moved);
            }
        }

        return moves;
    }

    /// <summary>An admin's approval of a ready challenger: it is promoted. Null when the model has no rollout awaiting approval.</summary>
    public async Task<Rollout?> ApproveAsync(string model, string actor, CancellationToken cancellation = default)
    {
        var rollout = (await rollouts.ListRolloutsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(r => r.Model == model);
        return rollout is { Stage: Rollout.AwaitingApproval } ? await PromoteAsync(rollout, actor, $"approved by {actor}", cancellation).ConfigureAwait(false) : null;
    }

    private async Task<Rollout?> NextAsync(Rollout rollout, CancellationToken cancellation)
    {
        var now = time.GetUtcNow().UtcDateTime;
        string? production = (await registryStore.ListAliasesAsync(rollout.Model, cancellation).ConfigureAwait(false))
            .FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version;
        if (production != rollout.Champion)
        {
            return await StopAsync(rollout, $"production moved to {production ?? "nothing"} meanwhile, by hand", cancellation).ConfigureAwait(false);
        }

        return rollout.Stage switch
        {
            Rollout.Shadow => await FromShadowAsync(rollout, now, cancellation).ConfigureAwait(false),
            Rollout.Canary => await FromCanaryAsync(rollout, now, cancellation).ConfigureAwait(false),
            _ => null,
        };
    }

    private async Task<Rollout?> FromShadowAsync(Rollout rollout, DateTime now, CancellationToken cancellation)
    {
        var shadow = (await registryStore.ListShadowsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (shadow?.Version != rollout.Version)
        {
            return await StopAsync(rollout, "its shadow was stopped or replaced by hand", cancellation).ConfigureAwait(false);
        }

        long rows = 0, failures = 0;
        // Windows count whole hours: the hour the stage began is taken whole (this candidate's rows in it are its own).
        foreach (var compared in await monitor.ShadowAsync(rollout.Model, rollout.Version, now - rollout.Since + TimeSpan.FromHours(1), 1, cancellation).ConfigureAwait(false))
        {
            (rows, failures) = (rows + compared.Rows, failures + compared.Failures);
        }

        if (rows >= settings.MinimumShadowRows && failures > settings.MaxShadowFailureShare * rows)
        {
            await registry.StopShadowAsync(rollout.Model, Actor, cancellation).ConfigureAwait(false);
            return await StopAsync(rollout, $"it failed on {failures:N0} of the {rows:N0} rows it shadowed", cancellation).ConfigureAwait(false);
        }

        if (now - rollout.Since < TimeSpan.FromHours(settings.ShadowHours) || rows < settings.MinimumShadowRows)
        {
            return null;
        }

        string why = string.Create(CultureInfo.InvariantCulture,
            $"shadowed {rows:N0} rows over {(now - rollout.Since).TotalHours:0.#} h with {failures:N0} failures; serving {settings.CanaryPercent} % guarded (calls failing at most {settings.CanaryMaxErrorRate:P1})");
        var canary = rollout with { Stage = Rollout.Canary, Since = now, Reason = why, UpdatedAt = now };
        if (!await MoveAsync(rollout, canary, cancellation).ConfigureAwait(false))
        {
            return null;
        }

        await registry.StopShadowAsync(rollout.Model, Actor, cancellation).ConfigureAwait(false);
        await registry.SplitAsync(rollout.Model, [new SplitShare(rollout.Champion, 100 - settings.CanaryPercent), new SplitShare(rollout.Version, settings.CanaryPercent)], Actor,
            new SplitGuard(settings.CanaryMaxErrorRate, null), cancellation).ConfigureAwait(false);
        return canary;
    }

    private async Task<Rollout?> FromCanaryAsync(Rollout rollout, DateTime now, CancellationToken cancellation)
    {
        var split = (await registryStore.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (split is null || !split.Shares.Any(s => s.Version == rollout.Version))
        {
            return await StopAsync(rollout, "its canary split was set back (by its guard or by hand)", cancellation).ConfigureAwait(false);
        }

        var usage = (await monitor.VersionUsageAsync(rollout.Model, now - rollout.Since + TimeSpan.FromMinutes(1), cancellation).ConfigureAwait(false))
            .GetValueOrDefault(rollout.Version);
        if (now - rollout.Since < TimeSpan.FromHours(settings.CanaryHours) || usage.Calls < settings.MinimumCanaryCalls
            || (usage.FailureRate ?? 0) > settings.CanaryMaxErrorRate)
        {
            return null;
        }

        string why = string.Create(CultureInfo.InvariantCulture,
            $"served {usage.Calls:N0} calls over {(now - rollout.Since).TotalHours:0.#} h, {usage.FailureRate ?? 0:P2} failing, its guard never tripped");
        if (!settings.RequireApproval)
        {
            return await PromoteAsync(rollout, Actor, why, cancellation).ConfigureAwait(false);
        }

        var ready = rollout with { Stage = Rollout.AwaitingApproval, Since = now, Reason = why + "; awaiting an admin's approval", UpdatedAt = now };
        return await MoveAsync(rollout, ready, cancellation).ConfigureAwait(false) ? ready : null;
    }

    private async Task<Rollout?> PromoteAsync(Rollout rollout, string actor, string why, CancellationToken cancellation)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var promoted = rollout with { Stage = Rollout.Promoted, Since = now, Reason = why, UpdatedAt = now };
        if (!await MoveAsync(rollout, promoted, cancellation, actor).ConfigureAwait(false))
        {
            return null;
        }

        await registry.SplitAsync(rollout.Model, [], actor, cancellation: cancellation).ConfigureAwait(false);
        await registry.PromoteAsync(rollout.Model, rollout.Version, actor, cancellation: cancellation).ConfigureAwait(false);
        return promoted;
    }

    private async Task<Rollout?> StopAsync(Rollout rollout, string why, CancellationToken cancellation)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var stopped = rollout with { Stage = Rollout.Stopped, Since = now, Reason = why, UpdatedAt = now };
        return await MoveAsync(rollout, stopped, cancellation).ConfigureAwait(false) ? stopped : null;
    }

    private Task<bool> MoveAsync(Rollout read, Rollout next, CancellationToken cancellation, string actor = Actor) =>
        rollouts.MoveRolloutAsync(read, next,
            new AuditEntry(0, next.UpdatedAt, actor, $"rollout.{next.Stage}", $"{next.Model}@{next.Version}", read.Stage, next.Reason), cancellation);
}
