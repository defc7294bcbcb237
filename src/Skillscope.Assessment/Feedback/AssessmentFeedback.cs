namespace Skillscope.Assessment.Feedback;

/// <summary>
/// The words a teacher reads: a summary, strengths and next steps, one paragraph per skill — and where
/// they came from (<c>template</c> or <c>llm</c>), why, and with which prompt version.
/// </summary>
public sealed record AssessmentFeedback(
    string Source,
    string Reason,
    string PromptVersion,
    string Summary,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> NextSteps,
    IReadOnlyList<SkillFeedback> Skills);

/// <summary>Feedback on one skill.</summary>
public sealed record SkillFeedback(string Skill, string Band, string Text, string NextStep);
