using Skillscope.Assessment.Feedback;
using Skillscope.Assessment.Inference;

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
    /// <summary>"ok", or "no_evidence" when the student has no evidence at all (nothing is invented then).</summary>
    public string Status => Coverage == 0 ? "no_evidence" : Skills.Count == 0 ? "not_scored" : "ok";

    /// <summary>Whether every skill of the catalog was asked for (a one-skill assessment does not make the student current for incremental jobs).</summary>
    public bool AllSkills { get; init; } = true;

    /// <summary>Stored id; 0 until stored.</summary>
    public long Id { get; init; }
}
