using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// An admin's "apply" of a proposal: its changed skills become the next weights version through the same
/// path as any change (validated, stored, swapped in, audited) — the installation's, or for a district's
/// proposal that district's own — and only while the version it was fitted over is still in force; then the
/// proposal is marked applied.
/// </summary>
public static class FusionProposalApplication
{
    /// <summary>What applying came to.</summary>
    public enum Outcome
    {
        Applied,
        NotFound,
        AlreadyApplied,

        /// <summary>The weights changed since the fit; fit again.</summary>
        VersionConflict,

        /// <summary>Every skill kept its weights: there is nothing to apply.</summary>
        NothingToApply,

        /// <summary>The weights it proposes are not valid for the catalog in force (a skill since removed); nothing was changed.</summary>
        Invalid,
    }

    /// <param name="proposals">Where proposals are.</param>
    /// <param name="weights">The installation's weights.</param>
    /// <param name="districts">Districts' own weights.</param>
    /// <param name="id">The proposal.</param>
    /// <param name="actor">Who applies it.</param>
    /// <param name="now">When.</param>
    /// <param name="districtId">Whose proposals are found: the installation's when null, else only that district's (a district's admin applies its own).</param>
    /// <param name="cancellation">Stops it before it is applied.</param>
    public static async Task<(Outcome Outcome, FusionWeights? Weights)> ApplyAsync(IFusionProposalStore proposals, IFusionWeightsSource weights, DistrictFusionWeights districts,
        long id, string actor, DateTime now, string? districtId = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(districts);
        var proposal = await proposals.GetAsync(id, cancellation).ConfigureAwait(false);
        if (proposal is null || proposal.DistrictId != districtId)
        {
            return (Outcome.NotFound, null);
        }

        if (proposal.Status != FusionProposal.Proposed)
        {
            return (Outcome.AlreadyApplied, null);
        }

        var changes = proposal.Changes();
        if (changes.Count == 0)
        {
            return (Outcome.NothingToApply, null);
        }

        // Fitted over the installation's weights for a district that had none: they must not have changed since either.
        if (proposal.DistrictId is { } own && proposal.InstallationVersion is { } installation && districts.For(own) is null && weights.Current.Version != installation)
        {
            return (Outcome.VersionConflict, null);
        }

        FusionWeights applied;
        try
        {
            applied = proposal.DistrictId is { } district
                ? await districts.UpdateAsync(district, changes, weights.Current, actor, proposal.BaseVersion, cancellation).ConfigureAwait(false)
                : await weights.UpdateAsync(changes, actor, proposal.BaseVersion, cancellation).ConfigureAwait(false);
        }
        catch (FusionWeightsException exception) when (exception.Code == "version_conflict")
        {
            return (Outcome.VersionConflict, null);
        }
        catch (FusionWeightsException)
        {
            return (Outcome.Invalid, null);
        }

        await proposals.MarkAppliedAsync(id, now, actor,
            new AuditEntry(0, now, actor, "fusion.proposal.apply", $"fusion-proposal:{id}", $"{WhoseWeights(proposal)} version {proposal.BaseVersion}",
                $"{WhoseWeights(proposal)} version {applied.Version}"),
            cancellation).ConfigureAwait(false);
        return (Outcome.Applied, applied);
    }

    /// <summary>"weights" or "district d1's weights": which weights a proposal is for.</summary>
    public static string WhoseWeights(FusionProposal proposal)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        return proposal.DistrictId is { } district ? $"district {district}'s weights" : "weights";
    }
}
