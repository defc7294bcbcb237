using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Skillscope.Assessment.Exports;

/// <summary>How exported scores are written: CSV (formula-safe) or JSON Lines, one score per line.</summary>
public sealed class ScoreExportFormat
{
    public const string Csv = "csv";

    public const string JsonLines = "jsonl";

    public static IReadOnlyList<string> All { get; } = [Csv, JsonLines];

    /// <summary>The columns, in order: the CSV header and the JSON fields.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["student_id", "class_id", "school_id", "district_id", "skill", "score", "band", "confidence", "assessed_at", "model_version"];

    private ScoreExportFormat(string name) => Name = name;

    public string Name { get; }

    public string ContentType => Name == Csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8";

    /// <summary>The format of this name, or null when there is none.</summary>
    public static ScoreExportFormat? Of(string? name) => name?.ToLowerInvariant() switch
    {
        Csv => new ScoreExportFormat(Csv),
        JsonLines or "ndjson" or "jsonlines" => new ScoreExportFormat(JsonLines),
        _ => null,
    };

    /// <summary>What comes before the first score (the CSV header).</summary>
    public string Header => Name == Csv ? string.Join(',', Columns) + "\r\n" : "";

    /// <summary>Appends one score's line to <paramref name="output"/>.</summary>
    public void Append(StringBuilder output, ExportedScore score)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(score);
        string at = score.AssessedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (Name == Csv)
        {
            output.Append(CsvText.Cell(score.StudentId)).Append(',').Append(CsvText.Cell(score.ClassId)).Append(',').Append(CsvText.Cell(score.SchoolId)).Append(',')
                .Append(CsvText.Cell(score.DistrictId)).Append(',').Append(CsvText.Cell(score.Skill)).Append(',')
                .Append(score.Score.ToString("0.####", CultureInfo.InvariantCulture)).Append(',').Append(score.Band).Append(',')
                .Append(score.Confidence.ToString("0.####", CultureInfo.InvariantCulture)).Append(',').Append(at).Append(',').Append(CsvText.Cell(score.ModelVersion)).Append("\r\n");
            return;
        }

        output.Append("{\"student_id\":").Append(JsonString(score.StudentId)).Append(",\"class_id\":").Append(JsonString(score.ClassId))
            .Append(",\"school_id\":").Append(JsonString(score.SchoolId)).Append(",\"district_id\":").Append(JsonString(score.DistrictId))
            .Append(",\"skill\":").Append(JsonString(score.Skill)).Append(",\"score\":").Append(score.Score.ToString("0.####", CultureInfo.InvariantCulture))
            .Append(",\"band\":").Append(JsonString(score.Band)).Append(",\"confidence\":").Append(score.Confidence.ToString("0.####", CultureInfo.InvariantCulture))
            .Append(",\"assessed_at\":\"").Append(at).Append("\",\"model_version\":").Append(JsonString(score.ModelVersion)).Append("}\n");
    }

    private static string JsonString(string value) => "\"" + JsonEncodedText.Encode(value).ToString() + "\"";
}
