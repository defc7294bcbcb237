using Skillscope.Assessment.Roster;
using Skillscope.Trees.Metrics;

namespace Skillscope.Assessment.Validation;

/// <summary>
/// How well one skill's assessments agree with the truth available: Pearson r of the fused score with
/// the teacher's rating (and with the latent skill, for generated districts), expected calibration
/// error of the ML score against "rating 3 or 4", and whether confidence ranks errors (ROC AUC of
/// confidence for "the ML score is on the right side of 0.5").
/// </summary>
public sealed record SkillValidity(string Skill, int Students, double RWithRating, double? RWithLatent, double Ece, double ConfidenceAuroc)
{
    /// <summary>The alert line for r with teacher ratings.</summary>
    public const double MinimumR = 0.5;
    public const double MaximumEce = 0.03;
    public const double MinimumConfidenceAuroc = 0.6;

    /// <param name="skill">Skill name.</param>
    /// <param name="scores">The skill's assessments: student, ML score, fused score, confidence.</param>
    /// <param name="ratings">Teacher ratings (the latest per student counts).</param>
    /// <param name="latent">Latent skill by student (generated districts), or null.</param>
    public static SkillValidity Measure(string skill, IReadOnlyList<StoredSkillScore> scores, IReadOnlyList<TeacherRating> ratings, IReadOnlyDictionary<string, double>? latent)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(ratings);
        var rating = new Dictionary<string, (int Value, DateTime At)>(StringComparer.Ordinal);
        foreach (var r in ratings)
        {
            if (r.Skill == skill && (!rating.TryGetValue(r.StudentId, out var known) || r.At >= known.At))
            {
                rating[r.StudentId] = (r.Rating, r.At);
            }
        }

        var rated = scores.Where(s => s.Skill == skill && rating.ContainsKey(s.StudentId)).ToList();
        double[] fused = [.. rated.Select(s => s.Fused)], ml = [.. rated.Select(s => s.Score)], confidence = [.. rated.Select(s => s.Confidence)];
        double[] values = [.. rated.Select(s => (double)rating[s.StudentId].Value)];
        double[] high = [.. values.Select(v => v >= 3 ? 1.0 : 0.0)];
        double[] right = [.. rated.Select((s, i) => (s.Score >= 0.5) == (high[i] == 1) ? 1.0 : 0.0)];
        double? rLatent = null;
        if (latent is not null)
        {
            var withLatent = scores.Where(s => s.Skill == skill && latent.ContainsKey(s.StudentId)).ToList();
            rLatent = withLatent.Count > 2 ? RegressionMetrics.Pearson([.. withLatent.Select(s => s.Fused)], [.. withLatent.Select(s => latent[s.StudentId])]) : null;
        }

        return new SkillValidity(skill, rated.Count,
            rated.Count > 2 ? RegressionMetrics.Pearson(fused, values) : double.NaN,
            rLatent,
            rated.Count > 0 ? ClassificationMetrics.ExpectedCalibrationError(ml, high) : double.NaN,
            right.Distinct().Count() == 2 ? ClassificationMetrics.RocAuc(confidence, right) : double.NaN);
    }
}

/// <summary>One stored skill result, as validation reads it.</summary>
public sealed record StoredSkillScore(string StudentId, string Skill, double Score, double Fused, double Confidence);
