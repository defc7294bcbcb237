using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Skillscope.Assessment.Import;
using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Privacy;

/// <summary>
/// Everything stored about one student, for an access request, as a ZIP of JSON files: the roster row
/// (<c>student.json</c>), the behaviour events read from their packed blocks (<c>behavior_events.json</c>), every
/// other table's rows as stored (<c>utterances.json</c>, <c>teacher_ratings.json</c>, <c>student_features.json</c>,
/// <c>skill_scores.json</c>, <c>assessments.json</c> with the feedback, <c>job_failures.json</c>,
/// <c>accuracy_feedback.json</c>, <c>feedback_cache.json</c>), and the audit entries that name the student
/// (<c>audit_log.json</c>), with a <c>README.txt</c> saying what each holds.
/// </summary>
public static class StudentDataExport
{
    /// <summary>Writes the student's ZIP to <paramref name="output"/>; false (and nothing written) when no student has this id.</summary>
    public static async Task<bool> WriteAsync(string studentId, IRosterDirectory roster, IEvidenceStore evidence, IPrivacyStore privacy, Stream output,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(evidence);
        ArgumentNullException.ThrowIfNull(privacy);
        ArgumentNullException.ThrowIfNull(output);
        if (await roster.GetStudentAsync(studentId, cancellation).ConfigureAwait(false) is not { } student)
        {
            return false;
        }

        var events = (await evidence.LoadEvidenceAsync([studentId], cancellation).ConfigureAwait(false)).SelectMany(e => e.Events).ToList();
        var tables = await privacy.StudentRowsAsync(studentId, cancellation).ConfigureAwait(false);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await WriteEntryAsync(zip, "README.txt", stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(Readme(student.Id, tables))), cancellation).ConfigureAwait(false);
        await WriteJsonAsync(zip, "student.json", json =>
        {
            json.WriteStartObject();
            json.WriteString("id", student.Id);
            json.WriteString("first_name", student.FirstName);
            json.WriteString("last_name", student.LastName);
            json.WriteNumber("grade", student.Grade);
            json.WriteString("class_id", student.ClassId);
            WriteNullable(json, "class_name", student.ClassName);
            WriteNullable(json, "school_id", student.SchoolId);
            WriteNullable(json, "district_id", student.DistrictId);
            WriteNullable(json, "teacher_id", student.TeacherId);
            json.WriteEndObject();
        }, cancellation).ConfigureAwait(false);
        await WriteJsonAsync(zip, "behavior_events.json", json =>
        {
            json.WriteStartArray();
            foreach (var e in events)
            {
                json.WriteStartObject();
                WriteNullable(json, "id", e.Id);
                json.WriteString("session_id", e.SessionId);
                json.WriteString("at", e.At.ToString("O", CultureInfo.InvariantCulture));
                json.WriteString("kind", e.Kind);
                WriteNullable(json, "task_id", e.TaskId);
                if (e.LatencyMs is { } latency)
                {
                    json.WriteNumber("latency_ms", latency);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }, cancellation).ConfigureAwait(false);
        foreach (var table in tables)
        {
            await WriteJsonAsync(zip, $"{table.Table}.json", json => WriteRows(json, table.Rows), cancellation).ConfigureAwait(false);
        }

        return true;
    }

    private static void WriteRows(Utf8JsonWriter json, IReadOnlyList<IReadOnlyDictionary<string, object?>> rows)
    {
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            foreach (var (column, value) in row)
            {
                json.WritePropertyName(column);
                switch (value)
                {
                    case null:
                        json.WriteNullValue();
                        break;
                    case string text:
                        json.WriteStringValue(text);
                        break;
                    case bool flag:
                        json.WriteBooleanValue(flag);
                        break;
                    case DateTime time:
                        json.WriteStringValue(time.ToString("O", CultureInfo.InvariantCulture));
                        break;
                    case double or float or decimal:
                        double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                        if (double.IsFinite(number))
                        {
                            json.WriteNumberValue(number);
                        }
                        else
                        {
                            json.WriteStringValue(number.ToString(CultureInfo.InvariantCulture));
                        }

                        break;
                    case IConvertible whole when value is long or int or short or byte:
                        json.WriteNumberValue(whole.ToInt64(CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }

    private static Task WriteJsonAsync(ZipArchive zip, string name, Action<Utf8JsonWriter> write, CancellationToken cancellation) =>
        WriteEntryAsync(zip, name, stream =>
        {
            using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            write(json);
        }, cancellation);

    private static async Task WriteEntryAsync(ZipArchive zip, string name, Action<Stream> write, CancellationToken cancellation)
    {
        cancellation.ThrowIfCancellationRequested();
        await using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        write(stream);
    }

    private static string Readme(string studentId, IReadOnlyList<StoredRows> tables) =>
        $"""
        Everything Skillscope stores about student {studentId}, exported for an access request.

        student.json            the roster row: name, grade, class, school, district, teacher
        behavior_events.json    learning-game events (read from their packed storage)
        {string.Join("\n", tables.Select(t => $"{t.Table + ".json",-24}{t.Rows.Count} rows of the {t.Table} table, as stored"))}

        Times are UTC (ISO 8601). assessments.json holds each assessment's full document (payload), with its
        scores, evidence and feedback; audit_log.json every audit entry that names the student.
        """;
}
