namespace Skillscope.Scoring.Monitoring;

/// <summary>Which outcome labels a model's objective can be measured against, and whether its scores are probabilities of a 0/1 label.</summary>
public static class OutcomeLabels
{
    /// <summary>Why <paramref name="label"/> is outside <paramref name="objective"/>'s domain, or null.</summary>
    public static string? Problem(string objective, double label) =>
        !double.IsFinite(label) ? "the label must be a finite number"
        : objective switch
        {
            "binary:logistic" or "binary:logitraw" or "binary:hinge" when label is not (0 or 1) => $"{objective} is measured against labels 0 and 1, not {Text(label)}",
            "reg:logistic" when label is < 0 or > 1 => $"reg:logistic is measured against labels between 0 and 1, not {Text(label)}",
            "count:poisson" or "reg:tweedie" when label < 0 => $"{objective} is measured against labels of 0 or more, not {Text(label)}",
            "reg:gamma" when label <= 0 => $"reg:gamma is measured against labels above 0, not {Text(label)}",
            "reg:squaredlogerror" when label <= -1 => $"reg:squaredlogerror is measured against labels above -1, not {Text(label)}",
            "multi:softmax" when label < 0 || label != Math.Floor(label) => $"multi:softmax is measured against class numbers (0, 1, …), not {Text(label)}",
            _ => null,
        };

    /// <summary>True when the scores are probabilities of a 0/1 label, measured by AUC, log loss and calibration; otherwise by r and RMSE.</summary>
    public static bool Probabilities(string objective) => objective is "binary:logistic" or "reg:logistic";

    private static string Text(double label) => label.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
