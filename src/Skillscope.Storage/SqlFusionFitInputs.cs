using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Fusion;

namespace Skillscope.Storage;

/// <summary>Rated students' latest assessments, read once for every skill, with their mean ratings.</summary>
internal sealed class SqlFusionFitInputs(SqlDialect dialect) : IFusionFitInputs
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<FusionSample>>> RatedSamplesAsync(CancellationToken cancellation = default)
    {
        var ratings = new Dictionary<(string Student, string Skill), double>();
        foreach (var (student, skill, mean) in await _dialect.QueryAsync(
            "SELECT student_id, skill, AVG(CAST(rating AS DOUBLE PRECISION)) FROM teacher_ratings GROUP BY student_id, skill", null,
            r => (r.GetString(0), r.GetString(1), SqlValues.Double(r, 2)), cancellation).ConfigureAwait(false))
        {
            ratings[(student, skill)] = mean;
        }

        // Each payload is read into its samples as it arrives: the assessments themselves are not held.
        var rows = await _dialect.QueryAsync(
            "SELECT a.student_id, a.payload FROM assessments a JOIN (SELECT student_id, MAX(id) AS id FROM assessments GROUP BY student_id) latest ON latest.id = a.id " +
            "WHERE EXISTS (SELECT 1 FROM teacher_ratings r WHERE r.student_id = a.student_id) ORDER BY a.student_id", null,
            r => Samples(r.GetString(0), r.GetString(1), ratings), cancellation).ConfigureAwait(false);
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

    private static List<(string Skill, FusionSample Sample)> Samples(string student, string payload, Dictionary<(string, string), double> ratings)
    {
        var samples = new List<(string, FusionSample)>();
        foreach (var skill in AssessmentJson.Deserialize(payload).Skills)
        {
            if (ratings.TryGetValue((student, skill.Skill), out double rating))
            {
                var c = skill.Components;
                samples.Add((skill.Skill, new FusionSample(student, c.Ml, c.Linguistic, c.Behavioral, c.ConfidenceAdjustment, rating)));
            }
        }

        return samples;
    }
}
