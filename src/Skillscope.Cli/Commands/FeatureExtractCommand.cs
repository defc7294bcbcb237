using System.CommandLine;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Import;
using Skillscope.Scoring.Tabular;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope features extract</c>: feature set 1 for every student of a district directory (the
/// files <c>skillscope generate</c> writes: utterances.jsonl, events.jsonl, students.csv), as JSONL.
/// </summary>
internal static class FeatureExtractCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create()
    {
        var district = new Option<string>("--district") { Required = true, Description = "Directory with students.csv, utterances.jsonl and events.jsonl (each may be gzip-compressed, .jsonl.gz)" };
        var output = new Option<string>("--out") { Required = true, Description = "JSONL file: one {student_id, feature_set_version, coverage, features} per student" };
        var command = new Command("extract", "Compute feature set 1 for every student of a district directory") { district, output };
        command.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            string directory = parse.GetRequiredValue(district);
            var utterances = Read<Utterance>(ImportFile.Resolve(Path.Combine(directory, "utterances.jsonl")));
            var events = Read<BehaviorEvent>(ImportFile.Resolve(Path.Combine(directory, "events.jsonl")));
            var extractor = new FeatureExtractor();
            int written = 0;
            using var writer = new StreamWriter(parse.GetRequiredValue(output), false, new UTF8Encoding(false));
            foreach (var line in File.ReadLines(Path.Combine(directory, "students.csv")).Skip(1))
            {
                string id = line[..line.IndexOf(',', StringComparison.Ordinal)];
                var features = extractor.Extract(utterances.GetValueOrDefault(id) ?? [], events.GetValueOrDefault(id) ?? []);
                var values = new JsonObject();
                for (int f = 0; f < FeatureSet.Count; f++)
                {
                    values[FeatureSet.Names[f]] = float.IsNaN(features.Values[f]) ? null : features.Values[f];
                }

                writer.WriteLine(new JsonObject
                {
                    ["student_id"] = id,
                    ["feature_set_version"] = features.FeatureSetVersion,
                    ["coverage"] = Math.Round(features.Coverage, 4),
                    ["features"] = values,
                }.ToJsonString());
                written++;
            }

            parse.InvocationConfiguration.Output.WriteLine($"features of {written:N0} students → {parse.GetRequiredValue(output)}");
            return 0;
        }));
        return command;
    }

    private static Dictionary<string, List<T>> Read<T>(string path)
        where T : class
    {
        var byStudent = new Dictionary<string, List<T>>(StringComparer.Ordinal);
        long line = 0;
        using var reader = ImportFile.OpenText(path);
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            T? record;
            try
            {
                record = JsonSerializer.Deserialize<T>(text, Json);
            }
            catch (JsonException exception)
            {
                throw new CsvFormatException($"{path} line {line}: {exception.Message}");
            }

            string student = record switch
            {
                Utterance u => u.StudentId,
                BehaviorEvent e => e.StudentId,
                _ => throw new CsvFormatException($"{path} line {line}: not a record"),
            };
            if (!byStudent.TryGetValue(student, out var list))
            {
                byStudent[student] = list = [];
            }

            list.Add(record!);
        }

        return byStudent;
    }
}
