namespace Skillscope.Assessment.Fusion;

/// <summary>
/// One rated student's parts of a skill's fused score, as their latest assessment stored them, and the mean
/// of their teachers' ratings in that skill: what <see cref="FusionFit"/> fits weights to.
/// </summary>
public sealed record FusionSample(string StudentId, double Ml, double? Linguistic, double? Behavioral, double Adjustment, double Rating);
