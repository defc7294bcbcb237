using Microsoft.Extensions.Options;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Reports;
using Skillscope.Assessment.Roster;

namespace Skillscope.Server.Reports;

/// <summary>Reads what a report needs (the latest full assessment, the class's averages) and renders it as HTML or PDF.</summary>
public sealed class StudentReportBuilder(IRosterDirectory roster, IAssessmentRecords records, IOptions<ReportOptions> options)
{
    /// <summary>How many past assessments are read to find the latest one that covered every skill.</summary>
    private const int HistoryRead = 10;

    public int MaxBundle => options.Value.MaxBundle;

    public async Task<StudentReport> ReportAsync(StudentRecord student, ReportAudience audience, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(student);
        var latest = await LatestAsync(student.Id, cancellation).ConfigureAwait(false);
        IReadOnlyList<ClassSkillAverage> averages = audience == ReportAudience.Teacher && latest is not null
            ? await roster.ClassAveragesAsync(student.ClassId, cancellation).ConfigureAwait(false)
            : [];
        return StudentReports.Build(student, latest, audience, averages);
    }

    /// <summary>
    /// Every student of a class, by last then first name (the roster's order), one report each; null when the
    /// class has more than <see cref="MaxBundle"/> students (counted before any report is read).
    /// </summary>
    public async Task<(List<StudentReport>? Reports, int Students, string? ClassName)> ClassReportsAsync(string classId, ReportAudience audience, CancellationToken cancellation)
    {
        var students = await roster.ClassScoresAsync(classId, cancellation).ConfigureAwait(false);
        if (students.Count > MaxBundle)
        {
            return (null, students.Count, null);
        }

        var averages = audience == ReportAudience.Teacher ? await roster.ClassAveragesAsync(classId, cancellation).ConfigureAwait(false) : [];
        var reports = new List<StudentReport>(students.Count);
        string? className = null;
        foreach (var row in students)
        {
            if (await roster.GetStudentAsync(row.StudentId, cancellation).ConfigureAwait(false) is not { } student)
            {
                continue; // erased since the list was read
            }

            className ??= student.ClassName;
            reports.Add(StudentReports.Build(student, await LatestAsync(student.Id, cancellation).ConfigureAwait(false), audience, averages));
        }

        return (reports, students.Count, className);
    }

    /// <summary>The latest assessment of every skill (a one-skill assessment since does not replace it), else the latest of any kind.</summary>
    private async Task<StudentAssessment?> LatestAsync(string studentId, CancellationToken cancellation)
    {
        var history = await records.HistoryAsync(studentId, HistoryRead, cancellation).ConfigureAwait(false);
        return history.FirstOrDefault(a => a.AllSkills) ?? (history.Count > 0 ? history[0] : null);
    }

    public byte[] Pdf(IReadOnlyList<StudentReport> reports, string title) =>
        StudentReportPdf.Render(reports, title, ReportFonts.Install(options.Value.FontDirectory));
}
