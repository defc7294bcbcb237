namespace Skillscope.Assessment.Training;

/// <summary>
/// A skill's challenger against its champion on the same held-out students. <see cref="Verdict"/> is
/// <see cref="Better"/> (better beyond the interval in AUC or log loss, worse beyond it in nothing),
/// <see cref="Worse"/> (worse beyond the interval in AUC, log loss or r with ratings, or in calibration error
/// when that is also above the target), or <see cref="Even"/>; <see cref="Reason"/> says which measures decided it.
/// </summary>
public sealed record ChallengerVerdict(string Skill, int Students, ModelQuality Champion, ModelQuality Challenger, QualityChange Auc, QualityChange LogLoss,
    QualityChange Ece, QualityChange RWithRating, string Verdict, string Reason)
{
    public const string Better = "better";
    public const string Worse = "worse";
    public const string Even = "even";
}
