namespace Skillscope.Assessment.Inference;

/// <summary>One skill's result for one student: score, confidence, coverage, which model, and the evidence behind it.</summary>
public sealed record SkillResult(
    string Skill, float Score, double Confidence, double Coverage, string ModelId, string ModelVersion, string ModelSha256,
    IReadOnlyList<EvidenceFeature> Evidence, IReadOnlyList<string>? Warnings);

/// <summary>A feature that moved this prediction, with a label people can read and which way it pushed.</summary>
public sealed record EvidenceFeature(string Feature, string Label, float? Value, float Contribution, string Direction);

/// <summary>Why a skill could not be scored for an item.</summary>
public sealed record SkillError(string Skill, string Code, string Message);
