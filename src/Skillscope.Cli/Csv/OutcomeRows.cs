using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Tabular;

namespace Skillscope.Cli.Csv;

/// <summary>Outcomes as a CSV (<c>models outcomes --file</c>): a header naming entity_id, label and optionally at; each row checked later, on its own.</summary>
internal static class OutcomeRows
{
    public static IReadOnlyList<OutcomeInput> Read(string path)
    {
        using var reader = new StreamReader(path);
        var csv = new CsvRecordReader(reader);
        var fields = new List<string>();
        var header = CsvHeader.Read(csv, fields, path, "naming entity_id and label");
        int entity = Array.IndexOf(header, "entity_id"), label = Array.IndexOf(header, "label"), at = Array.IndexOf(header, "at");
        if (entity < 0 || label < 0)
        {
            throw new CsvFormatException($"{path} has no {(entity < 0 ? "entity_id" : "label")} column");
        }

        var inputs = new List<OutcomeInput>();
        while (csv.TryRead(fields))
        {
            string Cell(int column) => column >= 0 && column < fields.Count ? fields[column].Trim() : "";
            inputs.Add(new OutcomeInput(
                Cell(entity) is { Length: > 0 } id ? id : null,
                double.TryParse(Cell(label), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) ? value : null,
                Cell(at) is { Length: > 0 } time ? time : null));
        }

        return inputs;
    }
}
