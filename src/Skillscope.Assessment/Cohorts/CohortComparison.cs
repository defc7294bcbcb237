using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Cohorts;

/// <summary>
/// Cohorts side by side: per group its size and, per skill, the mean score, the share of students in each
/// band and the distribution over tenths of the scale. Nothing is shown of fewer than
/// <see cref="MinimumGroup"/> students: such a group shows neither its size nor a figure, a skill scored for
/// fewer of a group's students is only named, and when a single group is hidden the next smallest is hidden
/// too, so the hidden one's size cannot be had by subtracting the others from the total.
/// </summary>
public sealed record CohortComparison(CohortDimension By, IReadOnlyList<CohortGroup> Groups)
{
    public const int MinimumGroup = 10;

    /// <summary>Counts the cohorts within <paramref name="scope"/> and compares them, each student banded by their district's bands in force.</summary>
    public static async Task<CohortComparison> ReadAsync(ICohortStats stats, CohortDimension by, RosterScope scope, IReadOnlyList<string> skills,
        IReadOnlyDictionary<string, SkillBands> districtBands, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var (cells, sizes) = await stats.CountAsync(by, scope, districtBands, cancellation).ConfigureAwait(false);
        return Of(by, cells, sizes, skills);
    }

    /// <summary>The comparison of the counted cells, groups in their natural order (grades and terms by number, schools by name).</summary>
    public static CohortComparison Of(CohortDimension by, IReadOnlyList<CohortCell> cells, IReadOnlyList<CohortSize> sizes, IReadOnlyList<string> skills)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(skills);

        // One pass over the cells: each (group, skill) adds up its bins.
        var sums = new Dictionary<(string Group, string Skill), Sum>();
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            if (!sums.TryGetValue((cell.Group, cell.Skill), out var sum))
            {
                sum = new Sum();
                sums[(cell.Group, cell.Skill)] = sum;
            }

            sum.Add(cell);
            if (cell.Label.Length > 0)
            {
                labels[cell.Group] = cell.Label;
            }
        }

        var hidden = HiddenGroups(sizes);
        var groups = new List<CohortGroup>(sizes.Count);
        foreach (var size in sizes)
        {
            string label = by switch
            {
                CohortDimension.Term when int.TryParse(size.Group, out int term) => CohortDimensions.TermName(term),
                CohortDimension.Grade => $"Grade {size.Group}",
                _ => labels.GetValueOrDefault(size.Group, size.Group),
            };
            if (hidden.Contains(size.Group))
            {
                groups.Add(new CohortGroup(size.Group, label, null, true, [], []));
                continue;
            }

            var shown = new List<CohortSkill>(skills.Count);
            var few = new List<string>();
            foreach (string skill in skills)
            {
                if (!sums.TryGetValue((size.Group, skill), out var sum))
                {
                    continue;
                }

                if (sum.Students < MinimumGroup)
                {
                    few.Add(skill);
                    continue;
                }

                shown.Add(sum.Figures(skill));
            }

            groups.Add(new CohortGroup(size.Group, label, size.Students, false, shown, few));
        }

        groups.Sort((a, b) => by == CohortDimension.School ? string.Compare(a.Label, b.Label, StringComparison.Ordinal) : Numeric(a.Key).CompareTo(Numeric(b.Key)));
        return new CohortComparison(by, groups);
    }

    /// <summary>The groups too small to show, and when that is one group only, the next smallest with it.</summary>
    private static HashSet<string> HiddenGroups(IReadOnlyList<CohortSize> sizes)
    {
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        CohortSize? smallestShown = null;
        foreach (var size in sizes)
        {
            if (size.Students < MinimumGroup)
            {
                hidden.Add(size.Group);
            }
            else if (smallestShown is null || size.Students < smallestShown.Students)
            {
                smallestShown = size;
            }
        }

        if (hidden.Count == 1 && smallestShown is not null)
        {
            hidden.Add(smallestShown.Group);
        }

        return hidden;
    }

    private static long Numeric(string key) => long.TryParse(key, out long value) ? value : long.MaxValue;

    /// <summary>One (group, skill)'s running totals.</summary>
    private sealed class Sum
    {
        private readonly long[] _bins = new long[10];
        private double _fused;
        private long _strengths, _growth;

        public long Students { get; private set; }

        public void Add(CohortCell cell)
        {
            _bins[Math.Clamp(cell.Bin, 0, 9)] += cell.Students;
            Students += cell.Students;
            _fused += cell.FusedSum;
            _strengths += cell.Strengths;
            _growth += cell.GrowthAreas;
        }

        // Four decimals: what a comparison reads, without the sums' last-bit noise (0.49825800000000003).
        public CohortSkill Figures(string skill) => new(skill, Students, Math.Round(_fused / Students, 4), Math.Round((double)_strengths / Students, 4),
            Math.Round((double)(Students - _strengths - _growth) / Students, 4), Math.Round((double)_growth / Students, 4), _bins);
    }
}
