using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Cohorts;

/// <summary>Counts of scores per group, skill and tenth of the scale, within a roster scope: aggregates only.</summary>
public interface ICohortStats
{
    Task<(IReadOnlyList<CohortCell> Cells, IReadOnlyList<CohortSize> Sizes)> CountAsync(CohortDimension by, RosterScope scope, CancellationToken cancellation = default);
}
