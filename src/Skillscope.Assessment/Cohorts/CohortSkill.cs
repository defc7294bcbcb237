using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Cohorts;

/// <summary>
/// One skill in one cohort: how many students have a score, the mean, the shares in each band (strength,
/// developing, growth area; bands as <see cref="Feedback.SkillBands"/> draws them), and the number of
/// students in each tenth of the scale.
/// </summary>
public sealed record CohortSkill(string Skill, long Students, double Mean, double Strength, double Developing, double GrowthArea, IReadOnlyList<long> Bins);
