namespace Skillscope.Assessment.Cohorts;

/// <summary>
/// One cohort: its size and its skills' figures, both left out when <see cref="Suppressed"/>; a skill
/// scored for too few of its students is named in <see cref="SuppressedSkills"/> instead of shown.
/// </summary>
public sealed record CohortGroup(string Key, string Label, long? Students, bool Suppressed, IReadOnlyList<CohortSkill> Skills, IReadOnlyList<string> SuppressedSkills);
