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
        // One read of the class's roster rows (one more than a bundle holds, to know it is too big), in their order.
        var page = await roster.SearchStudentsAsync(null, classId, 1, MaxBundle + 1, cancellation: cancellation).ConfigureAwait(false);
        int count = (int)page.Total;
        if (count > MaxBundle)
        {
            return (null, count, null);
        }

        var averages = audience == ReportAudience.Teacher ? await roster.ClassAveragesAsync(classId, cancellation).ConfigureAwait(false) : [];
        var reports = new List<StudentReport>(page.Students.Count);
        foreach (var student in page.Students)
        {
            reports.Add(StudentReports.Build(student, await LatestAsync(student.Id, cancellation).ConfigureAwait(false), audience, averages));
        }

        return (reports, count, page.Students.Count > 0 ? page.Students[0].ClassName : null);
    }

    private async Task<StudentAssessment?> LatestAsync(string studentId, CancellationToken cancellation) =>
        StudentAssessment.LatestOf(await records.HistoryAsync(studentId, HistoryRead, cancellation).ConfigureAwait(false));

    public byte[] Pdf(IReadOnlyList<StudentReport> reports, string title) =>
        StudentReportPdf.Render(reports, title, ReportFonts.Install(options.Value.FontDirectory));
}
