using Skillscope.Scoring.Tabular;

namespace Skillscope.Cli.Csv;

/// <summary>
/// The rows a version's reference profile is made from (<c>models register --reference-data</c>): a CSV with a
/// header, read in the schema's feature order (other columns, such as the label, are ignored; a missing
/// feature column is refused by name), cells as <see cref="FeatureCell"/> reads them.
/// </summary>
internal static class ReferenceRows
{
    /// <summary>Rows read at most: a reference needs deciles, which a million rows give as well as more.</summary>
    public const int MaxRows = 1_000_000;

    public static float[] Read(string path, IReadOnlyList<string> features)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        var header = CsvHeader.Read(csv, fields, path, "naming the model's features");
        var columns = new int[features.Count];
        for (int f = 0; f < features.Count; f++)
        {
            columns[f] = Array.IndexOf(header, features[f]);
            if (columns[f] < 0)
            {
                throw new CsvFormatException($"{path} lacks the model's feature \"{features[f]}\"");
            }
        }

        var values = new List<float>();
        int row = 0;
        while (row < MaxRows && csv.TryRead(fields))
        {
            row++;
            foreach (int column in columns)
            {
                string cell = column < fields.Count ? fields[column] : "";
                if (!FeatureCell.TryParse(cell, out float value))
                {
                    throw new CsvFormatException($"{path} row {row}, column \"{header[column]}\": \"{cell}\" is not a number");
                }

                values.Add(value);
            }
        }

        if (row == 0)
        {
            throw new CsvFormatException($"{path} has a header and no rows: a reference needs some");
        }

        return [.. values];
    }
}
