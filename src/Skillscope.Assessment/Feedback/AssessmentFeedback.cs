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
    IReadOnlyList<SkillFeedback> Skills)
{
    /// <summary>The LLM that wrote the text (null for template text).</summary>
    public string? Model { get; init; }

    /// <summary>Prompt and completion tokens as the LLM API counted them (of the original call, for a cached text).</summary>
    public int? TokensIn { get; init; }

    public int? TokensOut { get; init; }

    /// <summary>Time spent getting the text, in milliseconds (for a cached text, the cache lookup).</summary>
    public double? LatencyMs { get; init; }
}

/// <summary>Feedback on one skill.</summary>
public sealed record SkillFeedback(string Skill, string Band, string Text, string NextStep);
