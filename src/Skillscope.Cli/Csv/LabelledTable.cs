using System.Globalization;
using Skillscope.Scoring.Tabular;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Csv;

/// <summary>
/// A labelled CSV read for training or evaluation: the label column, optional weight column, the feature
/// columns (all others, minus <c>--drop</c> and an id-like first column), in file order or in a model's
/// feature order.
/// </summary>
internal sealed class LabelledTable
{
    private LabelledTable(TrainingData data, IReadOnlyList<string> skippedColumns)
    {
        Data = data;
        SkippedColumns = skippedColumns;
    }

    public TrainingData Data { get; }

    /// <summary>Columns that are not features: dropped, an identifier, or (in model order) unused by the model.</summary>
    public IReadOnlyList<string> SkippedColumns { get; }

    /// <summary>Reads the file.</summary>
    /// <param name="path">The CSV.</param>
    /// <param name="labelColumn">Name of the label column.</param>
    /// <param name="drop">Columns that are not features.</param>
    /// <param name="weightColumn">Name of a per-row weight column, if any.</param>
    /// <param name="featureOrder">The model's feature names: columns are taken in this order and others ignored; null takes every remaining column.</param>
    public static LabelledTable Read(string path, string labelColumn, IReadOnlyCollection<string> drop, string? weightColumn, IReadOnlyList<string>? featureOrder)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        var header = CsvHeader.Read(csv, fields, path, "naming the label and feature columns");
        int label = ColumnOf(header, labelColumn, path, "label");
        int weight = weightColumn is null ? -1 : ColumnOf(header, weightColumn, path, "weight");
        foreach (var name in drop)
        {
            _ = ColumnOf(header, name, path, "--drop");
        }

        var skipped = new List<string>();
        int[] featureColumns;
        if (featureOrder is null)
        {
            var columns = new List<int>();
            for (int c = 0; c < header.Length; c++)
            {
                if (c == label || c == weight)
                {
                    continue;
                }

                if (drop.Contains(header[c]) || (c == 0 && IsIdentifier(header[c])))
                {
                    skipped.Add(header[c]);
                    continue;
                }

                columns.Add(c);
            }

            featureColumns = [.. columns];
        }
        else
        {
            featureColumns = new int[featureOrder.Count];
            for (int f = 0; f < featureOrder.Count; f++)
            {
                featureColumns[f] = Array.IndexOf(header, featureOrder[f]);
                if (featureColumns[f] < 0)
                {
                    throw new CsvFormatException($"{path} lacks the model's feature \"{featureOrder[f]}\"");
                }
            }

            skipped.AddRange(header.Where((name, c) => c != label && c != weight && Array.IndexOf(featureColumns, c) < 0));
        }

        if (featureColumns.Length == 0)
        {
            throw new CsvFormatException($"{path} has no feature columns besides the label");
        }

        var features = new List<float>();
        var labels = new List<float>();
        var weights = weight >= 0 ? new List<float>() : null;
        bool firstRow = true;
        while (csv.TryRead(fields))
        {
            if (fields.Count != header.Length)
            {
                throw new CsvFormatException($"{path} line {csv.LineNumber}: {fields.Count} fields, the header has {header.Length}");
            }

            // A first column of non-numbers ("S-0042") is an identifier even without an id-like name.
            if (firstRow && featureOrder is null && featureColumns[0] == 0 && !FeatureCell.TryParse(fields[0], out _))
            {
                skipped.Add(header[0]);
                featureColumns = featureColumns[1..];
            }

            firstRow = false;
            labels.Add(Number(fields[label], path, csv.LineNumber, header[label], allowMissing: false));
            weights?.Add(Number(fields[weight], path, csv.LineNumber, header[weight], allowMissing: false));
            foreach (int c in featureColumns)
            {
                features.Add(Number(fields[c], path, csv.LineNumber, header[c], allowMissing: true));
            }
        }

        if (labels.Count == 0)
        {
            throw new TrainingException($"{path} has a header but no rows");
        }

        var names = featureColumns.Select(c => header[c]).ToArray();
        return new LabelledTable(new TrainingData([.. features], [.. labels], names.Length, names, weights?.ToArray()), skipped);
    }

    private static bool IsIdentifier(string name) =>
        name.Equals("id", StringComparison.OrdinalIgnoreCase)
        || name.EndsWith("_id", StringComparison.OrdinalIgnoreCase)
        || (name.Length > 2 && name.EndsWith("Id", StringComparison.Ordinal) && char.IsLower(name[^3]));

    private static int ColumnOf(string[] header, string name, string path, string role)
    {
        int column = Array.IndexOf(header, name);
        return column >= 0
            ? column
            : throw new CsvFormatException($"{path} has no column \"{name}\" ({role}); its columns are {string.Join(", ", header.Take(12))}{(header.Length > 12 ? ", …" : "")}");
    }

    private static float Number(string cell, string path, long line, string column, bool allowMissing)
    {
        if (!FeatureCell.TryParse(cell, out float value))
        {
            throw new CsvFormatException($"{path} line {line}, column \"{column}\": \"{cell}\" is not a number{(allowMissing ? " (use --drop for columns that are not features)" : "")}");
        }

        if (!allowMissing && !float.IsFinite(value))
        {
            throw new TrainingException($"{path} line {line}, column \"{column}\": the value is {(float.IsNaN(value) ? "missing" : cell)}; it must be a finite number");
        }

        return value;
    }

    public static string Describe(IReadOnlyList<string> skipped) =>
        skipped.Count == 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"not features: {string.Join(", ", skipped.Take(8))}{(skipped.Count > 8 ? ", …" : "")}");
}
