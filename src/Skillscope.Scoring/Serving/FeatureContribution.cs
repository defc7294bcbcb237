namespace Skillscope.Scoring.Serving;

/// <summary>How much one feature moved a prediction's margin (log-odds for logistic models).</summary>
/// <param name="Feature">Schema name.</param>
/// <param name="Value">The value scored, or null when missing.</param>
/// <param name="Contribution">TreeSHAP value; positive raises the score.</param>
public sealed record FeatureContribution(string Feature, float? Value, float Contribution);
