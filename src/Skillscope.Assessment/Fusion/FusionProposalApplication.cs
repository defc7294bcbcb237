using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// An admin's "apply" of a proposal: its changed skills become the next weights version through the same
/// path as any change (validated, stored, swapped in, audited), and only while the version it was fitted
/// over is still in force; then the proposal is marked applied.
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

    public static async Task<(Outcome Outcome, FusionWeights? Weights)> ApplyAsync(IFusionProposalStore proposals, IFusionWeightsSource weights, long id, string actor,
        DateTime now, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(proposals);
        ArgumentNullException.ThrowIfNull(weights);
        var proposal = await proposals.GetAsync(id, cancellation).ConfigureAwait(false);
        if (proposal is null)
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

        FusionWeights applied;
        try
        {
            applied = await weights.UpdateAsync(changes, actor, proposal.BaseVersion, cancellation).ConfigureAwait(false);
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
            new AuditEntry(0, now, actor, "fusion.proposal.apply", $"fusion-proposal:{id}", $"weights version {proposal.BaseVersion}", $"weights version {applied.Version}"),
            cancellation).ConfigureAwait(false);
        return (Outcome.Applied, applied);
    }
}
