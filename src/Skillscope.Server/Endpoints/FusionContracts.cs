using Skillscope.Assessment.Fusion;

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

/// <summary>Fusion weight proposals, newest first.</summary>
internal sealed record FusionProposalsResponse(string RequestId, IReadOnlyList<FusionProposalView> Proposals);

/// <summary>
/// A proposal: over which weights version it was fitted (a district's own weights' when <see cref="DistrictId"/> is set:
/// fitted to its students alone), its status, and each skill's fit.
/// </summary>
internal sealed record FusionProposalView(long Id, DateTime CreatedAt, string CreatedBy, string? DistrictId, long BaseVersion, string Status, DateTime? AppliedAt,
    string? AppliedBy, IReadOnlyList<SkillFitView> Skills)
{
    public static FusionProposalView Of(FusionProposal proposal) => new(proposal.Id, proposal.CreatedAt, proposal.CreatedBy, proposal.DistrictId, proposal.BaseVersion,
        proposal.Status, proposal.AppliedAt, proposal.AppliedBy, [.. proposal.Skills.Select(SkillFitView.Of)]);
}

/// <summary>
/// One skill's fit: rated students, the weights in force and proposed (null when kept, with the reason in
/// <see cref="Kept"/>), r with ratings on held-out students for each, and the gain with its 95 % interval.
/// </summary>
internal sealed record SkillFitView(string Skill, int Students, WeightsView Current, WeightsView? Proposed, double? CvRCurrent, double? CvRProposed,
    double? Gain, double? GainLow, double? GainHigh, string? Kept)
{
    public static SkillFitView Of(SkillFit fit) => new(fit.Skill, fit.Students, View(fit.Current), fit.Kept is null ? View(fit.Proposed) : null,
        Finite(fit.CvRCurrent), Finite(fit.CvRProposed), fit.Students >= FusionFit.MinimumStudents ? Finite(fit.Gain) : null,
        fit.Students >= FusionFit.MinimumStudents ? Finite(fit.GainLow) : null, fit.Students >= FusionFit.MinimumStudents ? Finite(fit.GainHigh) : null, fit.Kept);

    private static WeightsView View(SkillWeights w) => new(w.Ml, w.Linguistic, w.Behavioral, w.Confidence);

    private static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 4) : null;
}

/// <summary>
/// A district's fusion weights: its own (<see cref="Own"/>; <see cref="Version"/> counts the district's own versions),
/// or the installation's it falls back to (<see cref="Version"/> then the installation's). <see cref="DistrictVersion"/> is
/// the district's latest version, which a change is based on: 0 while it never set weights, and a removal is a version too.
/// </summary>
internal sealed record DistrictWeightsResponse(string RequestId, string DistrictId, bool Own, long Version, DateTime UpdatedAt, string UpdatedBy,
    IReadOnlyDictionary<string, WeightsView> Skills, long DistrictVersion);
