using System.CommandLine;
using Skillscope.Assessment.Roster;

namespace Skillscope.Cli.Commands;

/// <summary>
/// <c>skillscope classes list</c> and <c>skillscope teachers list</c>: the roster's classes and the teachers
/// who have them, with their ids, for the commands that take one (<c>users create --teacher-id</c>,
/// <c>keys create --teacher-id</c>, <c>--district-id</c>).
/// </summary>
internal static class ClassesCommand
{
    public static Command CreateClasses()
    {
        var data = new DataOptions();
        Option<string?> district = DistrictOption(), teacher = new("--teacher-id") { Description = "Only this teacher's" };
        var list = new Command("list", "Every class (or a district's, or a teacher's): id, name, grade, teacher and number of students") { district, teacher };
        data.AddTo(list);
        list.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var classes = await ReadAsync(parse, data, district, teacher);
            var output = parse.InvocationConfiguration.Output;
            if (classes.Count == 0)
            {
                output.WriteLine("no classes; import a roster with: skillscope import DIR");
                return 0;
            }

            int idWidth = Math.Max(5, classes.Max(c => c.Id.Length)), nameWidth = Math.Max(4, classes.Max(c => c.Name.Length));
            output.WriteLine($"{"class".PadRight(idWidth)}  {"name".PadRight(nameWidth)}  grade  {"students",8}  teacher");
            foreach (var c in classes)
            {
                output.WriteLine($"{c.Id.PadRight(idWidth)}  {c.Name.PadRight(nameWidth)}  {c.Grade,5}  {c.Students,8:N0}  {c.TeacherId}{(c.TeacherName is { } name ? $" ({name})" : "")}");
            }

            return 0;
        }));
        return new Command("classes", "The roster's classes") { list };
    }

    public static Command CreateTeachers()
    {
        var data = new DataOptions();
        var district = DistrictOption();
        var list = new Command("list", "The teachers who have classes (or a district's): id, name, classes and students") { district };
        data.AddTo(list);
        list.SetAction((parse, cancellation) => CliFailure.GuardAsync(parse.InvocationConfiguration.Error, async () =>
        {
            var teachers = (await ReadAsync(parse, data, district, null))
                .GroupBy(c => (c.TeacherId, c.TeacherName))
                .Select(g => (Id: g.Key.TeacherId, Name: g.Key.TeacherName ?? "", Classes: g.Count(), Students: g.Sum(c => c.Students)))
                .OrderBy(t => t.Name, StringComparer.Ordinal).ThenBy(t => t.Id, StringComparer.Ordinal)
                .ToList();
            var output = parse.InvocationConfiguration.Output;
            if (teachers.Count == 0)
            {
                output.WriteLine("no teachers with classes; import a roster with: skillscope import DIR");
                return 0;
            }

            int idWidth = Math.Max(7, teachers.Max(t => t.Id.Length)), nameWidth = Math.Max(4, teachers.Max(t => t.Name.Length));
            output.WriteLine($"{"teacher".PadRight(idWidth)}  {"name".PadRight(nameWidth)}  classes  students");
            foreach (var t in teachers)
            {
                output.WriteLine($"{t.Id.PadRight(idWidth)}  {t.Name.PadRight(nameWidth)}  {t.Classes,7:N0}  {t.Students,8:N0}");
            }

            return 0;
        }));
        return new Command("teachers", "The roster's teachers") { list };
    }

    private static Option<string?> DistrictOption() => new("--district-id") { Description = "Only this district's" };

    private static async Task<IReadOnlyList<Assessment.Assessing.ClassSummary>> ReadAsync(ParseResult parse, DataOptions data, Option<string?> district, Option<string?>? teacher)
    {
        using var store = await DataOptions.OpenStoreAsync(data.Read(parse));
        var scope = new RosterScope(parse.GetValue(district), teacher is null ? null : parse.GetValue(teacher));
        return await store.Assessments.Roster.ClassesAsync(scope);
    }
}
