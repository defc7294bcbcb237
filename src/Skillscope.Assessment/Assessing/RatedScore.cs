namespace Skillscope.Assessment.Assessing;

/// <summary>A skill score (fused) with the model version that made it and the mean teacher rating of that student in that skill.</summary>
public sealed record RatedScore(string Version, double Score, double Rating);
