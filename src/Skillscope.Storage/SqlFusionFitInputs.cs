using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;

namespace Skillscope.Storage;

/// <summary>Rated students' latest assessments, read once for every skill, with their mean ratings.</summary>
internal sealed class SqlFusionFitInputs(SqlDialect dialect) : IFusionFitInputs
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<FusionSample>>> RatedSamplesAsync(string? districtId = null, CancellationToken cancellation = default)
    {
        // A district's fit reads its own students' ratings and assessments only.
        string whose = districtId is null ? "" :
            $" AND student_id IN ({RosterScopeSql.StudentsWhere}sc.district_id = @districtId)";
        var district = new { districtId };
        var ratings = new Dictionary<(string Student, string Skill), double>();
        foreach (var (student, skill, mean) in await _dialect.QueryAsync(
            $"SELECT student_id, skill, AVG(CAST(rating AS DOUBLE PRECISION)) FROM teacher_ratings WHERE 1 = 1{whose} GROUP BY student_id, skill", district,
            r => (r.GetString(0), r.GetString(1), SqlValues.Double(r, 2)), cancellation).ConfigureAwait(false))
        {
            ratings[(student, skill)] = mean;
        }

        // Each (student, skill)'s latest score: a one-skill assessment since a full one is the latest of its skill only.
        var latest = new Dictionary<(string Student, string Skill), long>();
        foreach (var (student, skill, id) in await _dialect.QueryAsync(
            $"SELECT student_id, skill, MAX(assessment_id) FROM skill_scores WHERE 1 = 1{whose} GROUP BY student_id, skill", district,
            r => (r.GetString(0), r.GetString(1), SqlValues.Int64(r, 2)), cancellation).ConfigureAwait(false))
        {
            if (ratings.ContainsKey((student, skill)))
            {
                latest[(student, skill)] = id;
            }
        }

        // Each payload is read into its samples as it arrives: the assessments themselves are not held.
        var rows = await _dialect.QueryAsync(
            $"SELECT a.id, a.student_id, a.payload FROM assessments a WHERE a.id IN (SELECT MAX(assessment_id) FROM skill_scores WHERE 1 = 1{whose} GROUP BY student_id, skill) " +
            "AND EXISTS (SELECT 1 FROM teacher_ratings r WHERE r.student_id = a.student_id) ORDER BY a.student_id, a.id", district,
            r => Samples(SqlValues.Int64(r, 0), r.GetString(1), r.GetString(2), ratings, latest), cancellation).ConfigureAwait(false);
        var bySkill = new Dictionary<string, List<FusionSample>>(StringComparer.Ordinal);
        foreach (var samples in rows)
        {
            foreach (var (skill, sample) in samples)
            {
                if (!bySkill.TryGetValue(skill, out var list))
                {
                    bySkill[skill] = list = [];
                }

                list.Add(sample);
            }
        }

        return bySkill.ToDictionary(p => p.Key, p => (IReadOnlyList<FusionSample>)p.Value, StringComparer.Ordinal);
    }

    private static List<(string Skill, FusionSample Sample)> Samples(long id, string student, string payload, Dictionary<(string, string), double> ratings,
        Dictionary<(string, string), long> latest)
    {
        var samples = new List<(string, FusionSample)>();
        foreach (var skill in AssessmentJson.Deserialize(payload).Skills)
        {
            if (latest.TryGetValue((student, skill.Skill), out long newest) && newest == id && ratings.TryGetValue((student, skill.Skill), out double rating))
            {
                var c = skill.Components;
                samples.Add((skill.Skill, new FusionSample(student, c.Ml, c.Linguistic, c.Behavioral, c.ConfidenceAdjustment, rating)));
            }
        }

        return samples;
    }
}
