using System.Globalization;
using System.Text;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Roster;

namespace Skillscope.Server.Dashboard;

/// <summary>What the dashboard's pages and exports read, bounded by what the viewer may see.</summary>
public static class DashboardData
{
    /// <summary>The class when the viewer may see it (an admin any, a teacher their own); null otherwise.</summary>
    public static async Task<ClassSummary?> VisibleClassAsync(IRosterDirectory roster, DashboardViewer viewer, string classId, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(viewer);
        var classes = await roster.ClassesAsync(viewer.Scope, cancellation).ConfigureAwait(false);
        return classes.FirstOrDefault(c => c.Id == classId);
    }

    /// <summary>A class's latest fused scores as CSV: one row per student, one column per skill (empty when not scored).</summary>
    public static string ClassCsv(IReadOnlyList<ClassStudentScores> students, IReadOnlyList<string> skills)
    {
        ArgumentNullException.ThrowIfNull(students);
        ArgumentNullException.ThrowIfNull(skills);
        var csv = new StringBuilder();
        csv.Append("student_id,first_name,last_name");
        foreach (string skill in skills)
        {
            csv.Append(',').Append(skill);
        }

        csv.Append("\r\n");
        foreach (var student in students)
        {
            csv.Append(Cell(student.StudentId)).Append(',').Append(Cell(student.FirstName)).Append(',').Append(Cell(student.LastName));
            foreach (string skill in skills)
            {
                csv.Append(',');
                if (student.Fused.TryGetValue(skill, out double fused))
                {
                    csv.Append(fused.ToString("0.####", CultureInfo.InvariantCulture));
                }
            }

            csv.Append("\r\n");
        }

        return csv.ToString();
    }

    /// <summary>Accuracy feedback as CSV, newest first.</summary>
    public static string AccuracyCsv(IReadOnlyList<AccuracyFeedback> feedback)
    {
        ArgumentNullException.ThrowIfNull(feedback);
        var csv = new StringBuilder("id,at,username,student_id,assessment_id,verdict,skills_off,comment\r\n");
        foreach (var f in feedback)
        {
            csv.Append(f.Id.ToString(CultureInfo.InvariantCulture)).Append(',').Append(f.At.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(f.Username)).Append(',').Append(Cell(f.StudentId)).Append(',').Append(f.AssessmentId.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(Cell(f.Verdict)).Append(',').Append(Cell(string.Join(';', f.SkillsOff))).Append(',').Append(Cell(f.Comment ?? "")).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Cell(string value) => Skillscope.Assessment.Exports.CsvText.Cell(value);
}
