using Skillscope.Scoring.Tabular;
using Skillscope.Trees;

namespace Skillscope.Cli.Csv;

/// <summary>
/// Which CSV column feeds which model feature: by name when the model has feature names, otherwise by position.
/// </summary>
internal sealed class FeatureColumnMap
{
    private FeatureColumnMap(int[] columnOfFeature, IReadOnlyList<string> ignoredColumns)
    {
        ColumnOfFeature = columnOfFeature;
        IgnoredColumns = ignoredColumns;
    }

    /// <summary>For each model feature, its column in the CSV.</summary>
    public int[] ColumnOfFeature { get; }

    /// <summary>CSV columns the model does not use (an id, a label, …).</summary>
    public IReadOnlyList<string> IgnoredColumns { get; }

    public static FeatureColumnMap Create(XgboostModel model, IReadOnlyList<string> header)
    {
        if (model.FeatureNames is not { } names)
        {
            if (header.Count != model.FeatureCount)
            {
                throw new CsvFormatException(
                    $"the model has no feature names, so columns are matched by position: it needs exactly {model.FeatureCount} columns, the input has {header.Count}");
            }

            return new FeatureColumnMap(Enumerable.Range(0, header.Count).ToArray(), []);
        }

        var columnByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < header.Count; c++)
        {
            if (!columnByName.TryAdd(header[c].Trim(), c))
            {
                throw new CsvFormatException($"the header names column \"{header[c]}\" twice");
            }
        }

        var columns = new int[names.Count];
        var missing = new List<string>();
        for (int f = 0; f < names.Count; f++)
        {
            if (columnByName.TryGetValue(names[f], out int column))
            {
                columns[f] = column;
                columnByName.Remove(names[f]);
            }
            else
            {
                missing.Add(names[f]);
            }
        }

        if (missing.Count > 0)
        {
            string shown = string.Join(", ", missing.Take(5)) + (missing.Count > 5 ? $" and {missing.Count - 5} more" : "");
            throw new CsvFormatException($"the input lacks {missing.Count} of the model's {names.Count} features: {shown}");
        }

        return new FeatureColumnMap(columns, [.. columnByName.OrderBy(p => p.Value).Select(p => p.Key)]);
    }
}
