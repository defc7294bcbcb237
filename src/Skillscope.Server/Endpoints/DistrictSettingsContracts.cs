namespace Skillscope.Server.Endpoints;

/// <summary>Where scores become strengths (from <see cref="StrengthAt"/>) and growth areas (below <see cref="GrowthBelow"/>).</summary>
internal sealed record BandsView(double StrengthAt, double GrowthBelow);

/// <summary>
/// Body of <c>PUT /api/v1/districts/{district}/settings</c>: the district's settings in full (one left out or null falls
/// back to the installation's), and the version read (a change made meanwhile is refused).
/// </summary>
internal sealed record DistrictSettingsBody(long? Version, BandsView? Bands, int? TranscriptDays, bool? Llm, int? LlmFeedbackPerDay);

/// <summary>The settings in force for a district's students (<see cref="Skillscope.Assessment.Settings.SettingsInForce"/>).</summary>
internal sealed record SettingsInForceView(BandsView Bands, int? TranscriptDays, bool Llm, int? LlmFeedbackPerDay);

/// <summary>
/// A district's settings: those it set (<see cref="Own"/>, all null when it has none), the district's latest version (a change
/// is based on it; 0 while it never set any, and a removal is a version too), and what is in force for its students.
/// </summary>
internal sealed record DistrictSettingsResponse(string RequestId, string DistrictId, long Version, DateTime? UpdatedAt, string? UpdatedBy, DistrictSettingsBody Own,
    SettingsInForceView InForce);
