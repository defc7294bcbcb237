using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Support;

/// <summary>
/// Which students need a teacher's attention, from their latest scores: a growth area in two or more
/// skills, a drop of a band in any skill since the assessment before, or confidence too low in two or
/// more skills to act on (more evidence first). Students with no reason are not listed.
/// </summary>
public static class CheckOnRules
{
    /// <summary>Growth areas from which a student is listed.</summary>
    public const int GrowthAreasAtLeast = 2;

    /// <summary>Below this confidence a skill's score needs more evidence before anyone acts on it.</summary>
    public const double LowConfidence = 0.35;

    /// <summary>Skills with low confidence from which a student is listed.</summary>
    public const int LowConfidenceAtLeast = 2;

    /// <summary>The students with at least one reason, those with the most reasons (then growth areas) first.</summary>
    /// <param name="students">The students, with their latest scores.</param>
    /// <param name="bandsOf">The bands of a district (its own, or the installation's).</param>
    public static IReadOnlyList<StudentToCheckOn> Apply(IEnumerable<StudentHistory> students, Func<string?, SkillBands> bandsOf)
    {
        ArgumentNullException.ThrowIfNull(students);
        ArgumentNullException.ThrowIfNull(bandsOf);
        var listed = new List<(StudentToCheckOn Student, int Growth)>();
        foreach (var student in students)
        {
            var reasons = new List<CheckOnReason>(3);
            var bands = bandsOf(student.DistrictId);
            var growth = student.Skills.Where(s => bands.Of(s.Fused) == SkillBands.GrowthArea).Select(s => s.Skill).ToList();
            if (growth.Count >= GrowthAreasAtLeast)
            {
                reasons.Add(new CheckOnReason(CheckOnReason.GrowthAreas, growth, $"A growth area in {growth.Count} skills: {Names(growth)}."));
            }

            var drops = student.Skills.Where(s => s.PreviousFused is { } previous && Rank(bands.Of(s.Fused)) < Rank(bands.Of(previous))).ToList();
            if (drops.Count > 0)
            {
                reasons.Add(new CheckOnReason(CheckOnReason.BandDrop, [.. drops.Select(d => d.Skill)],
                    $"Down a band since the assessment before: {string.Join(", ", drops.Select(d => $"{TemplateFeedback.NameOf(d.Skill)} ({Band(bands, d.PreviousFused!.Value)} → {Band(bands, d.Fused)})"))}."));
            }

            var unsure = student.Skills.Where(s => s.Confidence < LowConfidence).Select(s => s.Skill).ToList();
            if (unsure.Count >= LowConfidenceAtLeast)
            {
                reasons.Add(new CheckOnReason(CheckOnReason.NeedsEvidence, unsure,
                    $"Too little evidence to be sure about {unsure.Count} skills ({Names(unsure)}): gather more before acting."));
            }

            if (reasons.Count > 0)
            {
                listed.Add((new StudentToCheckOn(student.StudentId, student.FirstName, student.LastName, student.ClassId, reasons), growth.Count));
            }
        }

        return [.. listed.OrderByDescending(l => l.Student.Reasons.Count).ThenByDescending(l => l.Growth)
            .ThenBy(l => l.Student.LastName, StringComparer.Ordinal).ThenBy(l => l.Student.FirstName, StringComparer.Ordinal).ThenBy(l => l.Student.StudentId, StringComparer.Ordinal)
            .Select(l => l.Student)];
    }

    private static int Rank(string band) => band switch { "strength" => 2, "developing" => 1, _ => 0 };

    private static string Band(SkillBands bands, double fused) => bands.Of(fused) switch { "strength" => "strength", "growth_area" => "growth area", _ => "developing" };

    private static string Names(IEnumerable<string> skills) => string.Join(", ", skills.Select(TemplateFeedback.NameOf));
}
