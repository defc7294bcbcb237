using System.CommandLine;
using Skillscope.Assessment.Exports;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope export scores</c>: every student's latest score of each skill (band, confidence, date) as CSV
/// or JSON Lines for a student information system, narrowed by district, school, class and date; the same
/// export as <c>GET /api/v1/exports/scores</c>, audited the same way.
/// </summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        Option<string?> district = new("--district-id") { Description = "Only this district's students" },
            school = new("--school-id") { Description = "Only this school's students" },
            classId = new("--class-id") { Description = "Only this class's students" },
            since = new("--since") { Description = "Only scores assessed since this date (2026-09-01) or time (2026-09-01T08:00:00Z)" };
        var format = new Option<string>("--format") { Description = "csv (formula-safe) or jsonl", DefaultValueFactory = _ => ScoreExportFormat.Csv };
        var output = new Option<string>("--out", "-o") { Description = "Where to write the export (- for standard output)", DefaultValueFactory = _ => "-" };
        var scores = new Command("scores", "Latest score, band, confidence and date per student and skill") { district, school, classId, since, format, output };
        data.AddTo(scores);
        scores.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (ScoreExportFormat.Of(parse.GetValue(format)) is not { } chosen)
            {
                return CliFailure.Report(error, $"--format must be one of {string.Join(", ", ScoreExportFormat.All)}, not \"{parse.GetValue(format)}\"");
            }

            DateTime? from = null;
            if (parse.GetValue(since) is { } text && (from = ScoreExport.ParseSince(text)) is null)
            {
                return CliFailure.Report(error, $"--since must be {ScoreExport.SinceForms}, not \"{text}\"");
            }

            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var exports = store.Assessments.Exports;
            var filter = new ScoreExportFilter(RosterScope.Everything, parse.GetValue(district), parse.GetValue(school), parse.GetValue(classId), from);
            if (await ScoreExport.OutOfReachAsync(store.Assessments.Roster, filter, cancellation) is { } missing)
            {
                return CliFailure.Report(error, $"no {missing.Level.Name()} has the id \"{missing.Id}\"", CliFailure.InputError);
            }

            using var sink = OutputSink.Open(parse.GetValue(output)!, parse.InvocationConfiguration.Output);
            var districts = new DistrictSettingsBook(store.Assessments.DistrictSettings);
            await districts.RefreshAsync(cancellation);
            long rows = await ScoreExport.WriteAsync(exports, filter, chosen, sink.Writer, districts.DistrictBands(), cancellation);
            sink.Commit();
            await store.Assessments.Audit.AuditAsync(new Scoring.Registry.AuditEntry(0, TimeProvider.System.GetUtcNow().UtcDateTime, DataOptions.Actor, "scores.exported", filter.Description, null, null), cancellation);
            if (parse.GetValue(output) != "-")
            {
                parse.InvocationConfiguration.Output.WriteLine($"wrote {rows:N0} scores to {parse.GetValue(output)}");
            }

            return 0;
        }));
        var studentData = new DataOptions();
        var id = new Argument<string>("id") { Description = "The student's id" };
        var zipOut = new Option<string?>("--out", "-o") { Description = "The ZIP to write (default: student-ID.zip)" };
        var student = new Command("student", "Everything stored about one student, for an access request, as a ZIP of JSON files (audited)") { id, zipOut };
        studentData.AddTo(student);
        student.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string studentId = parse.GetRequiredValue(id);
            string path = Path.GetFullPath(parse.GetValue(zipOut) ?? $"student-{studentId}.zip");
            using var store = await DataOptions.OpenStoreAsync(studentData.Read(parse));
            var tables = store.Assessments;
            string temporary = path + $".{Environment.ProcessId}.tmp";
            bool found;
            await using (var file = File.Create(temporary))
            {
                found = await Assessment.Privacy.StudentDataExport.WriteAsync(studentId, tables.Roster, tables.Evidence, tables.Privacy, file, cancellation);
            }

            if (!found)
            {
                File.Delete(temporary);
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"no student has the id \"{studentId}\"", CliFailure.InputError);
            }

            File.Move(temporary, path, overwrite: true);
            await tables.Audit.AuditAsync(new Scoring.Registry.AuditEntry(0, TimeProvider.System.GetUtcNow().UtcDateTime, DataOptions.Actor, "student.exported", studentId, null, null), cancellation);
            parse.InvocationConfiguration.Output.WriteLine($"wrote everything stored about {studentId} to {path}");
            return 0;
        }));
        return new Command("export", "Export data for other systems, or everything about one student") { scores, student };
    }
}
