using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Cohorts;

/// <summary>Counts of scores per group, skill and tenth of the scale, within a roster scope: aggregates only.</summary>
public interface ICohortStats
{
    /// <param name="by">The groups.</param>
    /// <param name="scope">Whose students.</param>
    /// <param name="districtBands">Districts that draw their own bands, with them; every other student is banded by the installation's.</param>
    /// <param name="cancellation">Stops the count.</param>
    Task<(IReadOnlyList<CohortCell> Cells, IReadOnlyList<CohortSize> Sizes)> CountAsync(CohortDimension by, RosterScope scope, IReadOnlyDictionary<string, SkillBands> districtBands,
        CancellationToken cancellation = default);
}
