namespace Skillscope.Assessment.Fusion;

/// <summary>
/// One skill's fit: how many rated students it rests on, the weights in force and those proposed, the
/// cross-validated r of each with teacher ratings (mean over the held-out folds), and the gain with its 95 %
/// interval over the folds. <see cref="Kept"/> says why the weights in force stay (then Proposed equals Current).
/// </summary>
public sealed record SkillFit(string Skill, int Students, SkillWeights Current, SkillWeights Proposed, double CvRCurrent, double CvRProposed,
    double Gain, double GainLow, double GainHigh, string? Kept);
