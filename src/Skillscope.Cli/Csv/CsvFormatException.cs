namespace Skillscope.Cli.Csv;

/// <summary>An input file that is not the CSV a command expects; the message names the line and column.</summary>
internal sealed class CsvFormatException(string message) : Exception(message);
