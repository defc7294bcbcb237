using System.Text;
using Dapper;
using Skillscope.Assessment.Cohorts;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Roster;

namespace Skillscope.Storage;

/// <summary>
/// Cohort aggregates in one pass of the database: each student's latest score per skill (per term for the
/// term dimension) counted per group, skill and tenth of the scale. Only counts and sums leave the database.
/// </summary>
internal sealed class SqlCohortStats(SqlDialect dialect) : ICohortStats
{
    private const string From = "FROM skill_scores k JOIN students s ON s.id = k.student_id JOIN classes c ON c.id = s.class_id JOIN schools sc ON sc.id = c.school_id";

    private readonly SqlDialect _dialect = dialect;

    public async Task<(IReadOnlyList<CohortCell> Cells, IReadOnlyList<CohortSize> Sizes)> CountAsync(CohortDimension by, RosterScope scope,
        IReadOnlyDictionary<string, SkillBands> districtBands, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(scope);
        string month = _dialect.YearMonth("k.assessed_at");
        // The term key: year × 10 + 1 (spring, January to May), 2 (summer, June and July) or 3 (fall, August to December).
        string term = $"(({month}) / 100 * 10 + CASE WHEN ({month}) % 100 >= 8 THEN 3 WHEN ({month}) % 100 >= 6 THEN 2 ELSE 1 END)";
        var (group, label) = by switch
        {
            CohortDimension.School => ("c.school_id", "sc.name"),
            CohortDimension.Term => ($"CAST({term} AS TEXT)", "''"),
            _ => ("CAST(s.grade AS TEXT)", "''"),
        };
        string partition = by == CohortDimension.Term ? $"k.student_id, k.skill, {term}" : "k.student_id, k.skill";
        string where = "WHERE 1 = 1" + RosterScopeSql.And(scope);
        var parameters = new DynamicParameters(new { scopeDistrict = scope.DistrictId, scopeTeacher = scope.TeacherId });
        var (strengthAt, growthBelow) = BandEdges(districtBands, parameters);
        var cells = await _dialect.QueryAsync(
            $"SELECT g, MAX(label), skill, bin, COUNT(*), SUM(fused), SUM(CASE WHEN fused >= {strengthAt} THEN 1 ELSE 0 END), SUM(CASE WHEN fused < {growthBelow} THEN 1 ELSE 0 END) " +
            $"FROM (SELECT {group} AS g, {label} AS label, sc.district_id AS district, k.skill, k.fused, {_dialect.TenthBin("k.fused")} AS bin, " +
            $"ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY k.assessment_id DESC) AS newest {From} {where}) latest " +
            "WHERE newest = 1 GROUP BY g, skill, bin",
            parameters,
            r => new CohortCell(r.GetString(0), SqlValues.NullableString(r, 1) ?? "", r.GetString(2), (int)SqlValues.Int64(r, 3), SqlValues.Int64(r, 4), SqlValues.Double(r, 5),
                SqlValues.Int64(r, 6), SqlValues.Int64(r, 7)),
            cancellation).ConfigureAwait(false);
        var sizes = await _dialect.QueryAsync(
            $"SELECT {group} AS g, COUNT(DISTINCT k.student_id) {From} {where} GROUP BY g",
            parameters, r => new CohortSize(r.GetString(0), SqlValues.Int64(r, 1)), cancellation).ConfigureAwait(false);
        return (cells, sizes);
    }

    /// <summary>
    /// The band edges as SQL over the row's <c>district</c>: the installation's, or a district's own where it set them
    /// (a CASE over those districts, their values as parameters).
    /// </summary>
    private static (string StrengthAt, string GrowthBelow) BandEdges(IReadOnlyDictionary<string, SkillBands> districtBands, DynamicParameters parameters)
    {
        parameters.Add("strengthAt", SkillBands.Default.StrengthAt);
        parameters.Add("growthBelow", SkillBands.Default.GrowthBelow);
        if (districtBands.Count == 0)
        {
            return ("@strengthAt", "@growthBelow");
        }

        var strength = new StringBuilder("CASE district");
        var growth = new StringBuilder("CASE district");
        int n = 0;
        foreach (var (district, bands) in districtBands)
        {
            parameters.Add($"bandDistrict{n}", district);
            parameters.Add($"bandStrength{n}", bands.StrengthAt);
            parameters.Add($"bandGrowth{n}", bands.GrowthBelow);
            strength.Append($" WHEN @bandDistrict{n} THEN @bandStrength{n}");
            growth.Append($" WHEN @bandDistrict{n} THEN @bandGrowth{n}");
            n++;
        }

        return (strength.Append(" ELSE @strengthAt END").ToString(), growth.Append(" ELSE @growthBelow END").ToString());
    }
}
