namespace Skillscope.Scoring.Serving;

/// <summary>
/// An item turned into a row the model can score, or the reason it cannot be.
/// </summary>
/// <param name="Values">Schema-ordered values, NaN where missing; empty when <paramref name="Error"/> is set.</param>
/// <param name="Coverage">Share of the schema's features present and valid.</param>
/// <param name="Warnings">What was ignored or changed (unknown features, values treated as missing or clipped).</param>
/// <param name="Error">Set when the item is refused.</param>
public sealed record PreparedRow(float[] Values, double Coverage, IReadOnlyList<string> Warnings, ItemProblem? Error);
