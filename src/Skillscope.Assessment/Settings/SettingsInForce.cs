using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Settings;

/// <summary>The settings in force for a district's students: its own where it set them, the installation's for the rest.</summary>
/// <param name="Bands">Where its scores become strengths and growth areas.</param>
/// <param name="TranscriptDays">Days transcripts are kept; null: kept until deleted by hand.</param>
/// <param name="Llm">Whether an LLM writes its students' feedback (the installation's must be configured too).</param>
/// <param name="LlmFeedbackPerDay">Its daily limit of LLM-written feedback; null: none beyond the installation's call limits.</param>
public sealed record SettingsInForce(SkillBands Bands, int? TranscriptDays, bool Llm, int? LlmFeedbackPerDay);
