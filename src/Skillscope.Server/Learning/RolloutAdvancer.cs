using System.Globalization;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;

namespace Skillscope.Server.Learning;

/// <summary>
/// Moves challengers on, one stage at a time, on the evidence the serving path gathers: from the shadow to a
/// guarded canary once it has shadowed long enough and well enough; from the canary to promotion (or to an
/// admin's approval, <c>Training:RequireApproval</c>) once the canary has served long enough without its guard
/// setting it back; to stopped, with the reason, whenever the evidence goes against it or someone changed
/// production, the shadow or the split by hand. Every replica checks. A stage's registry changes (a split, a
/// shadow, a promotion) can be repeated safely, so they are made first and the stage is then written over the
/// one read: a replica that finds the changes made but the stage not yet moved finishes the move, and a
/// promotion is claimed (<see cref="Rollout.Promoting"/>) before it is made, so it is made once.
/// </summary>
internal sealed class RolloutAdvancer(IRolloutStore rollouts, IRegistryStore registryStore, ModelRegistry registry, ModelMonitor monitor, TrainingOptions settings,
    TimeProvider time)
{
    public const string Actor = "rollout";

    /// <summary>How long a new stage may lack its registry change before that counts as a change by hand: the replica that wrote the stage may still be making it.</summary>
    private TimeSpan Grace => TimeSpan.FromSeconds(Math.Max(120, 2 * settings.RolloutCheckSeconds));

    /// <summary>Checks every rollout under way; returns the moves made. One rollout that cannot be checked does not hold back the others.</summary>
    public async Task<IReadOnlyList<Rollout>> CheckAsync(CancellationToken cancellation = default)
    {
        var moves = new List<Rollout>();
        var failures = new List<Exception>();
        foreach (var rollout in await rollouts.ListRolloutsAsync(cancellation).ConfigureAwait(false))
        {
            try
            {
                if (rollout.IsActive && await NextAsync(rollout, cancellation).ConfigureAwait(false) is { } moved)
                {
                    moves.Add(moved);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                failures.Add(exception);
            }
        }

        return failures.Count == 0 ? moves : throw new AggregateException("some rollouts could not be checked", failures);
    }

    /// <summary>
    /// An admin's approval of a ready challenger: checked as the worker checks it (production still the champion,
    /// the canary split still as set), then promoted. Null when the model has no rollout awaiting approval, or when
    /// the check stopped it (its reason then says why).
    /// </summary>
    public async Task<Rollout?> ApproveAsync(string model, string actor, CancellationToken cancellation = default)
    {
        var rollout = (await rollouts.ListRolloutsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(r => r.Model == model);
        if (rollout is not { Stage: Rollout.AwaitingApproval } || await StillInPlaceAsync(rollout, cancellation).ConfigureAwait(false) is { } changed)
        {
            return null;
        }

        return await PromoteAsync(rollout, actor, $"approved by {actor}", cancellation).ConfigureAwait(false);
    }

    private async Task<Rollout?> NextAsync(Rollout rollout, CancellationToken cancellation)
    {
        if (rollout.Stage == Rollout.Promoting)
        {
            return await FinishPromotionAsync(rollout, rollout.Reason).ConfigureAwait(false);
        }

        if (await StillInPlaceAsync(rollout, cancellation).ConfigureAwait(false) is { } stopped)
        {
            return stopped;
        }

        var now = time.GetUtcNow().UtcDateTime;
        return rollout.Stage switch
        {
            Rollout.Shadow => await FromShadowAsync(rollout, now, cancellation).ConfigureAwait(false),
            Rollout.Canary => await FromCanaryAsync(rollout, now, cancellation).ConfigureAwait(false),
            _ => null,
        };
    }

    /// <summary>
    /// Null when production is still the champion and the stage's canary split (if it has one) is still as set;
    /// else the rollout stopped, with the reason and this rollout's shadow or split cleared.
    /// </summary>
    private async Task<Rollout?> StillInPlaceAsync(Rollout rollout, CancellationToken cancellation)
    {
        string? production = (await registryStore.ListAliasesAsync(rollout.Model, cancellation).ConfigureAwait(false))
            .FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version;
        if (production != rollout.Champion)
        {
            return await StopAsync(rollout, $"production moved to {production ?? "nothing"} meanwhile, by hand", cancellation).ConfigureAwait(false);
        }

        if (rollout.Stage is Rollout.Canary or Rollout.AwaitingApproval)
        {
            var split = (await registryStore.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
            if (!IsCanary(split, rollout))
            {
                bool young = time.GetUtcNow().UtcDateTime - rollout.Since < Grace;
                if (split is null && young && rollout.Stage == Rollout.Canary)
                {
                    await StartCanaryAsync(rollout, cancellation).ConfigureAwait(false); // the replica that moved it may still be setting it
                    return null;
                }

                return await StopAsync(rollout, split?.Shares.Any(s => s.Version == rollout.Version) == true
                    ? "its canary split was changed by hand" : "its canary split was set back (by its guard or by hand)", cancellation).ConfigureAwait(false);
            }
        }

        return null;
    }

    private async Task<Rollout?> FromShadowAsync(Rollout rollout, DateTime now, CancellationToken cancellation)
    {
        var shadow = (await registryStore.ListShadowsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (shadow?.Version != rollout.Version)
        {
            // Another replica may have started the canary and not yet written it; or the run that wrote this stage may still be starting the shadow.
            var split = (await registryStore.ListSplitsAsync(cancellation).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
            if (IsCanary(split, rollout))
            {
                return await MoveAsync(rollout, Rollout.Canary, "the canary was started", now, cancellation).ConfigureAwait(false);
            }

            if (shadow is null && now - rollout.Since < Grace)
            {
                await registry.ShadowAsync(rollout.Model, rollout.Version, settings.ShadowPercent, null, Actor, CancellationToken.None).ConfigureAwait(false);
                return null;
            }

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
            return await StopAsync(rollout, $"it failed on {failures:N0} of the {rows:N0} rows it shadowed", cancellation).ConfigureAwait(false);
        }

        if (now - rollout.Since < TimeSpan.FromHours(settings.ShadowHours) || rows < settings.MinimumShadowRows)
        {
            return null;
        }

        await StartCanaryAsync(rollout, cancellation).ConfigureAwait(false);
        return await MoveAsync(rollout, Rollout.Canary, string.Create(CultureInfo.InvariantCulture,
            $"shadowed {rows:N0} rows over {(now - rollout.Since).TotalHours:0.#} h with {failures:N0} failures; serving {settings.CanaryPercent} % guarded (calls failing at most {settings.CanaryMaxErrorRate:P1})"),
            now, cancellation).ConfigureAwait(false);
    }

    private async Task<Rollout?> FromCanaryAsync(Rollout rollout, DateTime now, CancellationToken cancellation)
    {
        var usage = (await monitor.VersionUsageAsync(rollout.Model, now - rollout.Since + TimeSpan.FromMinutes(1), cancellation).ConfigureAwait(false))
            .GetValueOrDefault(rollout.Version);
        if (now - rollout.Since < TimeSpan.FromHours(settings.CanaryHours) || usage.Calls < settings.MinimumCanaryCalls
            || (usage.FailureRate ?? 0) > settings.CanaryMaxErrorRate)
        {
            return null;
        }

        string why = string.Create(CultureInfo.InvariantCulture,
            $"served {usage.Calls:N0} calls over {(now - rollout.Since).TotalHours:0.#} h, {usage.FailureRate ?? 0:P2} failing, its guard never tripped");
        return settings.RequireApproval
            ? await MoveAsync(rollout, Rollout.AwaitingApproval, why + "; awaiting an admin's approval", now, cancellation).ConfigureAwait(false)
            : await PromoteAsync(rollout, Actor, why, cancellation).ConfigureAwait(false);
    }

    /// <summary>Claims the promotion (one replica, or one admin, makes it), then makes it.</summary>
    private async Task<Rollout?> PromoteAsync(Rollout rollout, string actor, string why, CancellationToken cancellation)
    {
        var claimed = await MoveAsync(rollout, Rollout.Promoting, why, time.GetUtcNow().UtcDateTime, cancellation, actor).ConfigureAwait(false);
        return claimed is null ? null : await FinishPromotionAsync(claimed, why, actor).ConfigureAwait(false);
    }

    /// <summary>
    /// The promotion's changes, each safe to repeat (a promotion interrupted is finished by the next check): the split
    /// cleared, the challenger promoted (only over the champion: production moved by hand meanwhile stops it).
    /// </summary>
    private async Task<Rollout?> FinishPromotionAsync(Rollout rollout, string why, string actor = Actor)
    {
        string? production = (await registryStore.ListAliasesAsync(rollout.Model, CancellationToken.None).ConfigureAwait(false))
            .FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version;
        if (production != rollout.Champion && production != rollout.Version)
        {
            return await StopAsync(rollout, $"production moved to {production ?? "nothing"} meanwhile, by hand", CancellationToken.None).ConfigureAwait(false);
        }

        await ClearOwnAsync(rollout).ConfigureAwait(false);
        await registry.PromoteAsync(rollout.Model, rollout.Version, actor, cancellation: CancellationToken.None).ConfigureAwait(false);
        return await MoveAsync(rollout, Rollout.Promoted, why, time.GetUtcNow().UtcDateTime, CancellationToken.None, actor).ConfigureAwait(false);
    }

    /// <summary>The canary's registry changes, safe to repeat: the guarded split set, the shadow stopped.</summary>
    private async Task StartCanaryAsync(Rollout rollout, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        await registry.SplitAsync(rollout.Model, [new SplitShare(rollout.Champion, 100 - settings.CanaryPercent), new SplitShare(rollout.Version, settings.CanaryPercent)], Actor,
            new SplitGuard(settings.CanaryMaxErrorRate, null), CancellationToken.None).ConfigureAwait(false);
        var shadow = (await registryStore.ListShadowsAsync(CancellationToken.None).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (shadow?.Version == rollout.Version)
        {
            await registry.StopShadowAsync(rollout.Model, Actor, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Whether <paramref name="split"/> is the canary this rollout set: the champion and the challenger, in the set shares.</summary>
    private bool IsCanary(TrafficSplit? split, Rollout rollout) =>
        split is { Shares.Count: 2 } && split.Shares.Any(s => s.Version == rollout.Champion && s.Percent == 100 - settings.CanaryPercent)
        && split.Shares.Any(s => s.Version == rollout.Version && s.Percent == settings.CanaryPercent);

    /// <summary>Clears this rollout's shadow or canary split where they are still its own (never one an admin set since).</summary>
    private async Task ClearOwnAsync(Rollout rollout)
    {
        var shadow = (await registryStore.ListShadowsAsync(CancellationToken.None).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (shadow?.Version == rollout.Version)
        {
            await registry.StopShadowAsync(rollout.Model, Actor, CancellationToken.None).ConfigureAwait(false);
        }

        var split = (await registryStore.ListSplitsAsync(CancellationToken.None).ConfigureAwait(false)).FirstOrDefault(s => s.Name == rollout.Model);
        if (IsCanary(split, rollout))
        {
            await registry.SplitAsync(rollout.Model, [], Actor, cancellation: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<Rollout?> StopAsync(Rollout rollout, string why, CancellationToken cancellation)
    {
        await ClearOwnAsync(rollout).ConfigureAwait(false);
        return await MoveAsync(rollout, Rollout.Stopped, why, time.GetUtcNow().UtcDateTime, cancellation).ConfigureAwait(false);
    }

    /// <summary>Writes the next stage over the one read; null when another replica (or an admin) moved it first.</summary>
    private async Task<Rollout?> MoveAsync(Rollout read, string stage, string why, DateTime now, CancellationToken cancellation, string actor = Actor)
    {
        var moved = read with { Stage = stage, Since = now, Reason = why, UpdatedAt = now };
        return await rollouts.MoveRolloutAsync(read, moved,
            new AuditEntry(0, now, actor, $"rollout.{stage}", $"{read.Model}@{read.Version}", read.Stage, why), cancellation).ConfigureAwait(false) ? moved : null;
    }
}
