namespace Skillscope.Server.Endpoints;

/// <summary>Where scores become strengths (from <see cref="StrengthAt"/>) and growth areas (below <see cref="GrowthBelow"/>).</summary>
internal sealed record BandsView(double StrengthAt, double GrowthBelow);

/// <summary>
/// Body of <c>PUT /api/v1/districts/{district}/settings</c>: the district's settings in full (one left out or null falls
/// back to the installation's), and the version read (a change made meanwhile is refused).
/// </summary>
internal sealed record DistrictSettingsBody(long? Version, BandsView? Bands, int? TranscriptDays, bool? Llm, int? LlmFeedbackPerDay);

/// <summary>The settings in force for a district's students: its own where it set them, the installation's for the rest.</summary>
/// <param name="Bands">Where its scores become strengths and growth areas.</param>
/// <param name="TranscriptDays">Days transcripts are kept; null: kept until deleted by hand.</param>
/// <param name="Llm">Whether an LLM writes its students' feedback (the installation's must be configured too).</param>
/// <param name="LlmFeedbackPerDay">Its daily limit of LLM-written feedback; null: none beyond the installation's call limits.</param>
internal sealed record SettingsInForce(BandsView Bands, int? TranscriptDays, bool Llm, int? LlmFeedbackPerDay);

/// <summary>
/// A district's settings: those it set (<see cref="Own"/>, all null when it has none) with their version (0 while it has none),
/// and what is in force for its students.
/// </summary>
internal sealed record DistrictSettingsResponse(string RequestId, string DistrictId, long Version, DateTime? UpdatedAt, string? UpdatedBy, DistrictSettingsBody Own,
    SettingsInForce InForce);
