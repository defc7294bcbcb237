using System.CommandLine;
using Skillscope.Assessment.Privacy;
using Skillscope.Assessment.Settings;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope students erase ID</c>: removes everything stored about one student (roster row,
/// evidence, ratings, features, assessments, feedback) and says what went; the audit log records it.
/// <c>skillscope students retention --days N</c>: applies the transcript retention policy now.
/// </summary>
internal static class StudentsCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var id = new Argument<string>("id") { Description = "The student's id" };
        var erase = new Command("erase", "Erase a student's personal data everywhere (cannot be undone)") { id };
        data.AddTo(erase);
        erase.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            string student = parse.GetRequiredValue(id);
            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var erased = await store.Assessments.Privacy.EraseStudentAsync(student, DataOptions.Actor, DateTime.UtcNow);
            if (erased is null)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"no student has the id \"{student}\"", CliFailure.InputError);
            }

            parse.InvocationConfiguration.Output.WriteLine(
                $"erased {student}: " + string.Join(", ", erased.Where(e => e.Value > 0).Select(e => $"{e.Value:N0} {e.Key}")));
            return 0;
        }));
        var days = new Option<int>("--days") { Description = "Delete transcripts older than this many days (a district that set its own period: older than that)", DefaultValueFactory = _ => 90 };
        var retention = new Command("retention", "Apply the transcript retention policy now: delete older transcripts and their quotes, keep the scores") { days };
        data.AddTo(retention);
        retention.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            if (parse.GetValue(days) < 0)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, "--days must not be negative");
            }

            using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
            var districts = new DistrictSettingsBook(store.Assessments.DistrictSettings);
            await districts.RefreshAsync();
            var result = await new TranscriptRetention(store.Assessments.Privacy, store.Assessments.Evidence, store.Assessments.Records)
                .ApplyAsync(parse.GetValue(days), districts.TranscriptDays(), DateTime.UtcNow);
            parse.InvocationConfiguration.Output.WriteLine(
                $"deleted {result.UtterancesDeleted:N0} utterances of {result.Students:N0} students; {result.AssessmentsScrubbed:N0} stored assessments lost their quotes of them; scores are kept");
            return 0;
        }));
        return new Command("students", "Manage students' personal data") { erase, retention };
    }
}
