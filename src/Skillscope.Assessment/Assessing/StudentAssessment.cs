using System.Text.Json.Serialization;
using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Inference;
using Skillscope.Assessment.Settings;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// One assessment of one student: every skill's result (or why it has none), the feature coverage,
/// the feedback text, and what it was computed from (feature set, fusion weights, evidence version).
/// </summary>
/// <param name="StudentId">Who was assessed.</param>
/// <param name="AssessedAt">When (UTC).</param>
/// <param name="FeatureSetVersion">The feature set the models read.</param>
/// <param name="Coverage">Share of the 26 features the student's evidence provides (0 = no evidence).</param>
/// <param name="Skills">Results, in skill catalog order; a skill without a result is in <paramref name="Errors"/>.</param>
/// <param name="Errors">Skills that could not be scored, with the reason.</param>
/// <param name="Feedback">Growth-oriented text built from the evidence.</param>
/// <param name="FusionVersion">Version of the fusion weights applied.</param>
/// <param name="EvidenceVersion">The student's evidence version read; newer evidence makes the assessment stale.</param>
/// <param name="JobId">The batch job that made it, if any.</param>
public sealed record StudentAssessment(
    string StudentId,
    DateTime AssessedAt,
    string FeatureSetVersion,
    double Coverage,
    IReadOnlyList<SkillAssessment> Skills,
    IReadOnlyList<SkillError> Errors,
    AssessmentFeedback Feedback,
    string FusionVersion,
    long EvidenceVersion,
    string? JobId)
{
    /// <summary>"ok"; "no_evidence" when the student has no evidence at all (nothing is invented then); "not_scored" when there is evidence but no skill could be scored.</summary>
    public string Status => Coverage == 0 ? "no_evidence" : Skills.Count == 0 ? "not_scored" : "ok";

    /// <summary>For a <c>not_scored</c> assessment, why (the first skill's error); otherwise null. Batch jobs and the batch API report it per student.</summary>
    [JsonIgnore]
    public SkillError? Failure => Coverage == 0 || Skills.Count > 0 ? null
        : Errors.Count > 0 ? Errors[0] : new SkillError("", "not_scored", "no skill could be scored");

    /// <summary>Whether every skill of the catalog was asked for (a one-skill assessment does not make the student current for incremental jobs).</summary>
    public bool AllSkills { get; init; } = true;

    /// <summary>The student's district's own settings it was made with (their version and values); null: the installation's.</summary>
    public AppliedSettings? Settings { get; init; }

    /// <summary>The bands its feedback and reports draw scores in.</summary>
    [JsonIgnore]
    public SkillBands Bands => Settings?.Bands ?? SkillBands.Default;

    /// <summary>Stored id; 0 until stored.</summary>
    public long Id { get; init; }

    /// <summary>
    /// The assessment a student is shown by: in a history (newest first), the latest of every skill (a one-skill
    /// assessment since does not replace it), else the latest of any kind; null for an empty history.
    /// </summary>
    public static StudentAssessment? LatestOf(IReadOnlyList<StudentAssessment> history)
    {
        ArgumentNullException.ThrowIfNull(history);
        foreach (var assessment in history)
        {
            if (assessment.AllSkills)
            {
                return assessment;
            }
        }

        return history.Count > 0 ? history[0] : null;
    }
}
