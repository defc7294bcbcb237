using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Cohorts;

/// <summary>
/// Cohorts side by side: per group its size and, per skill, the mean score, the share of students in each
/// band and the distribution over tenths of the scale. A group of fewer than <see cref="MinimumGroup"/>
/// students shows its size as "fewer than 10" and no figures at all, so no one can read a few students' scores
/// off an aggregate.
/// </summary>
public sealed record CohortComparison(CohortDimension By, IReadOnlyList<CohortGroup> Groups)
{
    public const int MinimumGroup = 10;

    /// <summary>Counts the cohorts within <paramref name="scope"/> and compares them.</summary>
    public static async Task<CohortComparison> ReadAsync(ICohortStats stats, CohortDimension by, Skillscope.Assessment.Roster.RosterScope scope, IReadOnlyList<string> skills,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(stats);
        var (cells, sizes) = await stats.CountAsync(by, scope, cancellation).ConfigureAwait(false);
        return Of(by, cells, sizes, skills);
    }

    /// <summary>The comparison of the counted cells, groups in their natural order (grades and terms by number, schools by name).</summary>
    public static CohortComparison Of(CohortDimension by, IReadOnlyList<CohortCell> cells, IReadOnlyList<CohortSize> sizes, IReadOnlyList<string> skills)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(sizes);
        ArgumentNullException.ThrowIfNull(skills);
        var groups = new List<CohortGroup>(sizes.Count);
        foreach (var size in sizes)
        {
            string label = size.Group;
            var perSkill = new List<CohortSkill>(skills.Count);
            foreach (string skill in skills)
            {
                var bins = new long[10];
                long students = 0, strengths = 0, growth = 0;
                double sum = 0;
                foreach (var cell in cells)
                {
                    if (cell.Group != size.Group || cell.Skill != skill)
                    {
                        continue;
                    }

                    label = cell.Label.Length > 0 ? cell.Label : label;
                    bins[Math.Clamp(cell.Bin, 0, 9)] += cell.Students;
                    students += cell.Students;
                    sum += cell.FusedSum;
                    strengths += cell.Strengths;
                    growth += cell.GrowthAreas;
                }

                if (students > 0 && size.Students >= MinimumGroup)
                {
                    perSkill.Add(new CohortSkill(skill, students, sum / students, (double)strengths / students, (double)(students - strengths - growth) / students, (double)growth / students, bins));
                }
            }

            bool suppressed = size.Students < MinimumGroup;
            groups.Add(new CohortGroup(size.Group, by == CohortDimension.Term && int.TryParse(size.Group, out int term) ? CohortDimensions.TermName(term) : LabelOf(by, label),
                suppressed ? null : size.Students, suppressed, suppressed ? [] : perSkill));
        }

        groups.Sort((a, b) => by == CohortDimension.School ? string.Compare(a.Label, b.Label, StringComparison.Ordinal) : Numeric(a.Key).CompareTo(Numeric(b.Key)));
        return new CohortComparison(by, groups);
    }

    private static string LabelOf(CohortDimension by, string label) => by == CohortDimension.Grade ? $"Grade {label}" : label;

    private static long Numeric(string key) => long.TryParse(key, out long value) ? value : long.MaxValue;
}

/// <summary>One cohort: its size (null when suppressed) and its skills' figures (empty when suppressed).</summary>
public sealed record CohortGroup(string Key, string Label, long? Students, bool Suppressed, IReadOnlyList<CohortSkill> Skills);

/// <summary>
/// One skill in one cohort: how many students have a score, the mean, the shares in each band (strength,
/// developing, growth area; bands as <see cref="TemplateFeedback.BandOf"/> draws them), and the number of
/// students in each tenth of the scale.
/// </summary>
public sealed record CohortSkill(string Skill, long Students, double Mean, double Strength, double Developing, double GrowthArea, IReadOnlyList<long> Bins);
