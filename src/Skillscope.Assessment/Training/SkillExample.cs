using Skillscope.Assessment.Features;

namespace Skillscope.Assessment.Training;

/// <summary>One student's features with the teacher's rating of each skill (catalog order); the latent truth when it is known (generated data).</summary>
public sealed record SkillExample(string StudentId, StudentFeatures Features, int[] Ratings, double[]? Latent = null);
