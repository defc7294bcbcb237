namespace Skillscope.Assessment.Cohorts;

/// <summary>How many students a group holds (those with at least one score in it).</summary>
public sealed record CohortSize(string Group, long Students);
