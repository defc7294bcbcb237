namespace Skillscope.Assessment.Training;

/// <summary>How well one model scores a skill on held-out students: AUC and log loss against the label (rating 3–4), calibration error, and r with the ratings.</summary>
public sealed record ModelQuality(double Auc, double LogLoss, double Ece, double RWithRating);
