namespace Skillscope.Trees.Metrics;

/// <summary>One bin of a reliability diagram.</summary>
/// <param name="Lower">Lower edge of the probability bin.</param>
/// <param name="Upper">Upper edge of the probability bin.</param>
/// <param name="MeanProbability">Mean predicted probability of the rows in the bin.</param>
/// <param name="ObservedRate">Fraction of those rows that were positive.</param>
/// <param name="Count">Rows in the bin.</param>
public sealed record CalibrationBin(double Lower, double Upper, double MeanProbability, double ObservedRate, int Count);
