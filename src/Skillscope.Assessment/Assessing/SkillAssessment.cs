using Skillscope.Assessment.Inference;

namespace Skillscope.Assessment.Assessing;

/// <summary>One skill of an assessment: the model's calibrated score, its confidence, and the fused score with the evidence behind it.</summary>
/// <param name="Skill">Skill name.</param>
/// <param name="Score">Calibrated ML probability that the skill is high.</param>
/// <param name="Confidence">See docs/EVIDENCE.md.</param>
/// <param name="Coverage">Share of features present.</param>
/// <param name="ModelId">Model name@version that scored it.</param>
/// <param name="ModelVersion">Version of that model.</param>
/// <param name="ModelSha256">SHA-256 of the model file.</param>
/// <param name="Fused">The fused score (docs/EVIDENCE.md).</param>
/// <param name="Components">The fused score's inputs and the weights actually applied.</param>
/// <param name="Evidence">Top evidence items, strongest first.</param>
/// <param name="Features">The model's own top contributions (TreeSHAP), for those who want the raw view.</param>
public sealed record SkillAssessment(
    string Skill,
    double Score,
    double Confidence,
    double Coverage,
    string ModelId,
    string ModelVersion,
    string ModelSha256,
    double Fused,
    FusionComponents Components,
    IReadOnlyList<EvidenceItem> Evidence,
    IReadOnlyList<EvidenceFeature> Features);

/// <summary>
/// The parts of a fused score: each input (null when the student has no evidence of that kind) and the
/// weight it received after the weights of absent inputs were shared out.
/// </summary>
public sealed record FusionComponents(
    double Ml, double? Linguistic, double? Behavioral, double ConfidenceAdjustment,
    double WeightMl, double WeightLinguistic, double WeightBehavioral, double WeightConfidence);

/// <summary>
/// One reason behind a skill's fused score: where it comes from (<c>ml</c>, <c>linguistic</c>,
/// <c>behavioral</c>), what it says in a teacher's words (<see cref="Description"/>), its share of the fused
/// score, for transcript evidence the student's own sentence when it supports the direction stated, and
/// the figures behind the words (<see cref="Detail"/>: the value in its unit and what is typical).
/// </summary>
public sealed record EvidenceItem(string Source, string Feature, string Description, double Weight, float? Value, string Direction, string? Quote, string? Detail = null);
