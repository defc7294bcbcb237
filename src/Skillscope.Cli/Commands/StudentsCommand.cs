using System.CommandLine;
using System.Text.Json;
using Skillscope.Scoring.Registry;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope students erase ID</c>: removes everything stored about one student (roster row,
/// evidence, ratings, features, assessments, feedback) and says what went; the audit log records it.
/// </summary>
internal static class StudentsCommand
{
    public static Command Create()
    {
        var data = new DataOptions();
        var id = new Argument<string>("id") { Description = "The student's id" };
        var erase = new Command("erase", "Erase a student's personal data everywhere (cannot be undone)") { id };
        data.AddTo(erase);
        erase.SetAction(parse => CliFailure.Guard(parse.InvocationConfiguration.Error, () =>
        {
            string student = parse.GetRequiredValue(id);
            using var store = DataOptions.OpenStore(data.Read(parse));
            var erased = store.Assessments.EraseStudentAsync(student).GetAwaiter().GetResult();
            if (erased is null)
            {
                return CliFailure.Report(parse.InvocationConfiguration.Error, $"no student has the id \"{student}\"", CliFailure.InputError);
            }

            store.Assessments.AuditAsync(new AuditEntry(0, DateTime.UtcNow, DataOptions.Actor, "student.erased", student, null, JsonSerializer.Serialize(erased))).GetAwaiter().GetResult();
            parse.InvocationConfiguration.Output.WriteLine(
                $"erased {student}: " + string.Join(", ", erased.Where(e => e.Value > 0).Select(e => $"{e.Value:N0} {e.Key}")));
            return 0;
        }));
        return new Command("students", "Manage students' personal data") { erase };
    }
}
