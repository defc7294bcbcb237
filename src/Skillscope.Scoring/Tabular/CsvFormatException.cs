namespace Skillscope.Scoring.Tabular;

/// <summary>An input file that is not the CSV a command expects; the message names the line and column.</summary>
public sealed class CsvFormatException(string message) : Exception(message);
