using System.Globalization;
using System.Text.Json;
using Skillscope.Assessment.Import;
using Skillscope.Scoring.Tabular;

namespace Skillscope.Assessment.Synthetic;

/// <summary>
/// Writes a generated district as the files an import reads: roster CSVs (districts, schools, teachers, classes,
/// students), utterances and events as JSONL, teacher ratings as CSV — and the latent true skills in a
/// separate <c>latent.csv</c>, meant for validation only and never imported.
/// </summary>
public static class DistrictWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,

        // Files for people and importers, not HTML: keep apostrophes and accents as they are.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <param name="generator">The seeded generator that drew the roster.</param>
    /// <param name="roster">The district's roster; its students' evidence is drawn as it is written.</param>
    /// <param name="directory">Where the files go (created if missing).</param>
    /// <param name="skills">The skills, in the order of the latent file's columns.</param>
    /// <param name="compress">Write the evidence files (utterances, events, ratings) gzip-compressed, as <c>*.gz</c>.</param>
    /// <returns>How many utterances and events were written.</returns>
    public static (long Utterances, long Events) Write(DistrictGenerator generator, SyntheticRoster roster, string directory, IReadOnlyList<string> skills, bool compress = false)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(skills);
        Directory.CreateDirectory(directory);
        WriteCsv(Path.Combine(directory, "districts.csv"), "id,name", [Csv(roster.District.Id, roster.District.Name)]);
        WriteCsv(Path.Combine(directory, "schools.csv"), "id,district_id,name", roster.Schools.Select(s => Csv(s.Id, s.DistrictId, s.Name)));
        WriteCsv(Path.Combine(directory, "teachers.csv"), "id,school_id,name,email", roster.Teachers.Select(t => Csv(t.Id, t.SchoolId, t.Name, t.Email)));
        WriteCsv(Path.Combine(directory, "classes.csv"), "id,school_id,name,grade,teacher_id",
            roster.Classes.Select(c => Csv(c.Id, c.SchoolId, c.Name, c.Grade.ToString(CultureInfo.InvariantCulture), c.TeacherId)));
        WriteCsv(Path.Combine(directory, "students.csv"), "id,class_id,first_name,last_name,grade",
            roster.Students.Select(s => Csv(s.Id, s.ClassId, s.FirstName, s.LastName, s.Grade.ToString(CultureInfo.InvariantCulture))));

        long utterances = 0, events = 0;
        string suffix = compress ? ".gz" : string.Empty;
        using var utteranceFile = ImportFile.CreateText(Path.Combine(directory, "utterances.jsonl" + suffix), compress);
        using var eventFile = ImportFile.CreateText(Path.Combine(directory, "events.jsonl" + suffix), compress);
        using var ratingFile = ImportFile.CreateText(Path.Combine(directory, "ratings.csv" + suffix), compress);
        using var latentFile = ImportFile.CreateText(Path.Combine(directory, "latent.csv"), compress: false);
        ratingFile.WriteLine("student_id,teacher_id,skill,rating,at");
        latentFile.WriteLine("student_id," + string.Join(',', skills));
        foreach (var student in generator.Students(roster))
        {
            foreach (var utterance in student.Utterances)
            {
                utteranceFile.WriteLine(JsonSerializer.Serialize(utterance, Json));
                utterances++;
            }

            foreach (var e in student.Events)
            {
                eventFile.WriteLine(JsonSerializer.Serialize(e, Json));
                events++;
            }

            foreach (var rating in student.Ratings)
            {
                ratingFile.WriteLine(Csv(rating.StudentId, rating.TeacherId, rating.Skill, rating.Rating.ToString(CultureInfo.InvariantCulture), rating.At.ToString("O", CultureInfo.InvariantCulture)));
            }

            latentFile.WriteLine(student.Student.Id + "," + string.Join(',', student.Latent.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))));
        }

        return (utterances, events);
    }

    private static void WriteCsv(string path, string header, IEnumerable<string> lines)
    {
        using var writer = ImportFile.CreateText(path, compress: false);
        writer.WriteLine(header);
        foreach (var line in lines)
        {
            writer.WriteLine(line);
        }
    }

    private static string Csv(params string[] fields) => string.Join(',', fields.Select(CsvText.Escape));
}
