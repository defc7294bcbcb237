using System.Text.Json;
using Skillscope.Scoring.Tabular;

namespace Skillscope.Assessment.Import;

/// <summary>A row of an import file as named text fields, or why it could not be read.</summary>
internal sealed record ImportRow(long Line, IReadOnlyDictionary<string, string?> Fields, string? Problem);

/// <summary>Reads CSV (header row) and JSON arrays (the API's body) into <see cref="ImportRow"/>s; JSONL is <see cref="JsonlRows"/>.</summary>
internal static class ImportRows
{
    public static IEnumerable<ImportRow> Csv(TextReader reader)
    {
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        string[]? header = null;
        while (true)
        {
            bool read;
            string? problem = null;
            try
            {
                read = csv.TryRead(fields);
            }
            catch (CsvFormatException exception)
            {
                read = false;
                problem = exception.Message;
            }

            if (problem is not null)
            {
                yield return new ImportRow(csv.LineNumber, new Dictionary<string, string?>(), problem);
                yield break;
            }

            if (!read)
            {
                yield break;
            }

            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim().ToLowerInvariant())];
                continue;
            }

            if (fields.Count != header.Length)
            {
                yield return new ImportRow(csv.LineNumber, new Dictionary<string, string?>(), $"{fields.Count} fields, but the header has {header.Length}");
                continue;
            }

            var row = new Dictionary<string, string?>(header.Length, StringComparer.Ordinal);
            for (int i = 0; i < header.Length; i++)
            {
                row[header[i]] = fields[i].Length == 0 ? null : fields[i];
            }

            yield return new ImportRow(csv.LineNumber, row, null);
        }
    }

    /// <summary>A JSON array of objects (the API's body); "line" is then the 1-based item number.</summary>
    public static IEnumerable<ImportRow> JsonArray(JsonElement array)
    {
        long item = 0;
        foreach (var element in array.EnumerateArray())
        {
            item++;
            yield return FromElement(item, element);
        }
    }

    private static ImportRow FromElement(long line, JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ImportRow(line, new Dictionary<string, string?>(), $"expected a JSON object, found {element.ValueKind.ToString().ToLowerInvariant()}");
        }

        var row = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.String:
                    row[property.Name.ToLowerInvariant()] = property.Value.GetString();
                    break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                    row[property.Name.ToLowerInvariant()] = property.Value.GetRawText();
                    break;
                case JsonValueKind.Null:
                    row[property.Name.ToLowerInvariant()] = null;
                    break;
                default:
                    return new ImportRow(line, row, $"field \"{property.Name}\" must be a string, number, boolean or null");
            }
        }

        return new ImportRow(line, row, null);
    }
}

/// <summary>A row of an import file as the record it describes, or why it is rejected.</summary>
internal readonly record struct ParsedRow(long Line, object? Record, string? Problem);
