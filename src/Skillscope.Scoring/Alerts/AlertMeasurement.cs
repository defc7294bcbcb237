namespace Skillscope.Scoring.Alerts;

/// <summary>
/// One thing a rule watches, measured now: its subject (a model version's feature, a skill, the API), the
/// value, and the thresholds it is judged by (the rule's, or for drift the variable's own).
/// </summary>
/// <param name="Subject">What was measured, e.g. <c>lead@1.0.0/age</c>, <c>empathy</c>, <c>api</c>.</param>
/// <param name="Value">The measure.</param>
/// <param name="Threshold">Fires at or beyond this.</param>
/// <param name="ClearThreshold">Resolves once back past this.</param>
/// <param name="Count">Rows, requests or ratings the measure was made from.</param>
public sealed record AlertMeasurement(string Subject, double Value, double Threshold, double ClearThreshold, long Count);
