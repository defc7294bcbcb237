using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Training;

/// <summary>
/// Teachers' "Was this assessment accurate?" answers as weak labels (docs/LEARNING.md). A skill the teacher named as off
/// was shown in the wrong band: shown as a strength, it is labelled not high; shown as a growth area, high; weight
/// <see cref="OffWeight"/>. A "yes" confirms every skill shown as a strength (high) or a growth area (not high), weight
/// <see cref="ConfirmedWeight"/>: lower, because it only repeats what the model said. A skill shown as developing says
/// nothing about which side it is on, and a "partially" or "no" without skills named says nothing about any one skill:
/// neither gives a label. The latest answer about a student decides each of its skills.
/// </summary>
public static class WeakLabels
{
    public const float OffWeight = 0.5f;
    public const float ConfirmedWeight = 0.25f;

    /// <summary>The label and weight of each (student, skill) the answers give one for, by student.</summary>
    public static Dictionary<string, Dictionary<int, (float Label, float Weight)>> From(
        IEnumerable<(AccuracyFeedback Answer, StudentAssessment Assessment)> answers, SkillCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(catalog);
        var labels = new Dictionary<string, Dictionary<int, (float, float)>>(StringComparer.Ordinal);
        foreach (var (answer, assessment) in answers.OrderBy(a => a.Answer.At).ThenBy(a => a.Answer.Id))
        {
            // A later answer about the student replaces what the earlier ones said of every skill.
            var skills = new Dictionary<int, (float, float)>();
            foreach (var skill in assessment.Skills)
            {
                int index = catalog.IndexOf(skill.Skill);
                string band = assessment.Bands.Of(skill.Fused);
                if (index < 0 || band == SkillBands.Developing)
                {
                    continue;
                }

                float shownHigh = band == SkillBands.Strength ? 1f : 0f;
                if (answer.SkillsOff.Contains(skill.Skill, StringComparer.Ordinal))
                {
                    skills[index] = (1f - shownHigh, OffWeight);
                }
                else if (answer.Verdict == "yes")
                {
                    skills[index] = (shownHigh, ConfirmedWeight);
                }
            }

            labels[answer.StudentId] = skills;
        }

        return labels;
    }

    /// <summary>
    /// The weak examples of every answered student but those <paramref name="rated"/> in every skill (their ratings win) and
    /// those <paramref name="heldOut"/> to judge models on, with features from their stored evidence.
    /// </summary>
    public static async Task<List<WeakExample>> FromStoreAsync(IAssessmentInputs inputs, IAccuracyFeedbackStore answers, SkillCatalog catalog,
        IReadOnlyList<SkillExample> rated, Func<string, bool> heldOut, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(rated);
        ArgumentNullException.ThrowIfNull(heldOut);
        var ratedIds = rated.Select(e => e.StudentId).ToHashSet(StringComparer.Ordinal);
        var labels = From(await answers.AnsweredAssessmentsAsync(cancellation).ConfigureAwait(false), catalog);
        var students = labels.Where(l => l.Value.Count > 0 && !ratedIds.Contains(l.Key) && !heldOut(l.Key)).Select(l => l.Key).Order(StringComparer.Ordinal).ToList();
        var weak = new List<WeakExample>();
        await foreach (var (student, features) in SkillTrainingSet.FeaturesAsync(inputs, students, cancellation).ConfigureAwait(false))
        {
            foreach (var (skill, (label, weight)) in labels[student].OrderBy(l => l.Key))
            {
                weak.Add(new WeakExample(student, features, skill, label, weight));
            }
        }

        return weak;
    }
}
