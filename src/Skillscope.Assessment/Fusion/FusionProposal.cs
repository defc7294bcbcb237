namespace Skillscope.Assessment.Fusion;

/// <summary>
/// Fusion weights fitted to teacher ratings, proposed as the next version after <see cref="BaseVersion"/>: applied
/// only when an admin says so (and only while <see cref="BaseVersion"/> is still in force). <see cref="Status"/> is
/// <see cref="Proposed"/> or <see cref="Applied"/>.
/// </summary>
public sealed record FusionProposal(long Id, DateTime CreatedAt, string CreatedBy, long BaseVersion, IReadOnlyList<SkillFit> Skills, string Status,
    DateTime? AppliedAt, string? AppliedBy)
{
    public const string Proposed = "proposed";

    public const string Applied = "applied";

    /// <summary>The district whose own weights it proposes (fitted to its teachers' ratings alone), or null for the installation's.</summary>
    public string? DistrictId { get; init; }

    /// <summary>
    /// For a district that had no weights of its own when it was fitted, the installation's version it was fitted over: it
    /// applies only while that is still in force too (the district's version alone would not tell the installation's changed).
    /// </summary>
    public long? InstallationVersion { get; init; }

    /// <summary>The skills whose weights would change.</summary>
    public IReadOnlyDictionary<string, SkillWeights> Changes() =>
        Skills.Where(s => s.Kept is null).ToDictionary(s => s.Skill, s => s.Proposed, StringComparer.Ordinal);
}
