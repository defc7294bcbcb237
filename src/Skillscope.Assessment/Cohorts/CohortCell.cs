namespace Skillscope.Assessment.Cohorts;

/// <summary>
/// One aggregate as the store counts it: in one group, for one skill, the students whose score falls in one
/// tenth of the scale (<paramref name="Bin"/> 0 to 9), their scores' sum, and how many of them are strengths
/// and growth areas. Nothing in it names a student.
/// </summary>
public sealed record CohortCell(string Group, string Label, string Skill, int Bin, long Students, double FusedSum, long Strengths, long GrowthAreas);
