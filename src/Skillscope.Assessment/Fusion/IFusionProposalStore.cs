using Skillscope.Scoring.Registry;

namespace Skillscope.Assessment.Fusion;

/// <summary>Fusion weight proposals, in the database every replica shares.</summary>
public interface IFusionProposalStore
{
    /// <summary>Stores a proposal (its id is assigned) with its audit entry; returns it as stored.</summary>
    Task<FusionProposal> SaveAsync(FusionProposal proposal, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>The latest proposals, newest first: the installation's when <paramref name="districtId"/> is null, else that district's.</summary>
    Task<IReadOnlyList<FusionProposal>> ListAsync(int limit, string? districtId = null, CancellationToken cancellation = default);

    Task<FusionProposal?> GetAsync(long id, CancellationToken cancellation = default);

    /// <summary>Marks a proposal applied, with its audit entry; false when it is not (or no longer) a proposal.</summary>
    Task<bool> MarkAppliedAsync(long id, DateTime at, string by, AuditEntry audit, CancellationToken cancellation = default);
}
