using Skillscope.Scoring.Tabular;

namespace Skillscope.Cli.Csv;

/// <summary>The header row every CSV the command line reads starts with: its names, trimmed.</summary>
internal static class CsvHeader
{
    /// <exception cref="CsvFormatException">The file is empty; <paramref name="needed"/> says what the header must name.</exception>
    public static string[] Read(CsvRecordReader csv, List<string> fields, string path, string needed)
    {
        if (!csv.TryRead(fields))
        {
            throw new CsvFormatException($"{path} is empty: a header row {needed} is needed");
        }

        return [.. fields.Select(f => f.Trim())];
    }
}
