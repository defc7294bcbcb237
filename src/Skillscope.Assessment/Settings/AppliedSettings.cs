using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Settings;

/// <summary>
/// The settings an assessment was made with when its student's district has its own (an assessment without
/// them was made with the installation's): their version (<c>district:version</c>) and what they resolved to.
/// </summary>
/// <param name="Version">The district's settings version, as <c>d-001:3</c>.</param>
/// <param name="District">The student's district.</param>
/// <param name="Bands">The bands its feedback was written with.</param>
/// <param name="Llm">Whether the district lets an LLM write its students' feedback.</param>
/// <param name="LlmFeedbackPerDay">The district's daily limit of LLM-written feedback, if it set one.</param>
public sealed record AppliedSettings(string Version, string District, SkillBands Bands, bool Llm, int? LlmFeedbackPerDay);
