namespace Skillscope.Assessment.Training;

/// <summary>Challenger less champion in one measure, with its 95 % paired bootstrap interval.</summary>
public sealed record QualityChange(double Value, double Low, double High);
