namespace Skillscope.Server.Endpoints;

/// <summary>One skill's fusion weights: the model's, the linguistic and the behavioural indicators' shares, and the confidence weight.</summary>
internal sealed record WeightsView(double Ml, double Linguistic, double Behavioral, double Confidence);

/// <summary>The weights in force, by skill, with their version.</summary>
internal sealed record FusionWeightsResponse(
    string RequestId, long Version, DateTime UpdatedAt, string UpdatedBy, IReadOnlyDictionary<string, WeightsView> Skills, string? FileError);

/// <summary>One skill's weights in force.</summary>
internal sealed record SkillWeightsResponse(string RequestId, string Skill, long Version, WeightsView Weights);

/// <summary>
/// Body of <c>PUT /api/v1/fusion/weights</c>: the version read (a concurrent change is refused, not
/// overwritten) and the weights per skill.
/// </summary>
internal sealed record FusionWeightsBody(long? Version, IReadOnlyDictionary<string, WeightsView> Skills);

/// <summary>Body of <c>PUT /api/v1/fusion/weights/{skill}</c>.</summary>
internal sealed record SkillWeightsBody(long? Version, double Ml, double Linguistic, double Behavioral, double Confidence);
