using System.Text;
using Skillscope.Assessment.Reports;
using Skillscope.Assessment.Roster;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Endpoints;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Reports;

/// <summary>
/// Printable student reports, for the teacher or the family, as HTML (with a print stylesheet) or PDF, and a
/// class's reports as one PDF. Reached as the profile is: a teacher their own students, a district's admin
/// that district's; anyone else's student is "not found". Every report read is in the audit log.
/// </summary>
public static class ReportEndpoints
{
    /// <summary>
    /// The report page's own policy: it carries its style inline (so the saved file stands alone) and no
    /// script at all, so it allows inline style and nothing else, not even this site's scripts.
    /// </summary>
    private const string ReportPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    internal static void MapApi(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/students/{id}/report", (HttpContext context, string id, string? format, string? audience, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time) =>
            UnknownParameter(context) ?? StudentAsync(context, id, string.IsNullOrEmpty(format) ? "pdf" : format, audience, ScopeClaims.Of(context.User), Actors.Of(context), page: false, roster, reports, audit, time))
            .RequireAuthorization(Roles.StudentsPolicy).WithTags("Reports")
            .WithSummary("A student's printable report for the teacher or the family (audience), as PDF (format=pdf, the default) or HTML (format=html); a student with no assessment gets a report that says so")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf", "text/html")
            .Refuses(StatusCodes.Status400BadRequest, "invalid_format", "invalid_audience", "invalid_parameter").Refuses(StatusCodes.Status404NotFound, "student_not_found")
            .Refuses(StatusCodes.Status503ServiceUnavailable, "report_fonts_missing");
        app.MapGet("/api/v1/classes/{id}/reports", (HttpContext context, string id, string? format, string? audience, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time) =>
            UnknownParameter(context) ?? (format is null or "" or "pdf"
                ? ClassAsync(context, id, audience, ScopeClaims.Of(context.User), Actors.Of(context), page: false, roster, reports, audit, time)
                : Task.FromResult(Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_format", $"a class's reports come as one PDF (format=pdf), not \"{format}\"; each student's report is also an HTML page"))))
            .RequireAuthorization(Roles.StudentsPolicy).WithTags("Reports")
            .WithSummary("Every student of a class, one report each, as one PDF to print (audience: teacher or family)")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/pdf")
            .Refuses(StatusCodes.Status400BadRequest, "invalid_format", "invalid_audience", "invalid_parameter").Refuses(StatusCodes.Status404NotFound, "class_not_found")
            .Refuses(StatusCodes.Status422UnprocessableEntity, "class_too_large").Refuses(StatusCodes.Status503ServiceUnavailable, "report_fonts_missing");
    }

    internal static void MapPages(IEndpointRouteBuilder app)
    {
        app.MapGet("/students/{id}/report", (HttpContext context, string id, string? @for, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time) =>
            PageAsync(context, id, "html", @for, roster, reports, audit, time)).RequireAuthorization(DashboardSetup.Policy).ExcludeFromDescription();
        app.MapGet("/students/{id}/report.pdf", (HttpContext context, string id, string? @for, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time) =>
            PageAsync(context, id, "pdf", @for, roster, reports, audit, time)).RequireAuthorization(DashboardSetup.Policy).ExcludeFromDescription();
        app.MapGet("/classes/{id}/reports.pdf", (HttpContext context, string id, string? @for, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time) =>
        {
            var viewer = DashboardViewer.Of(context.User);
            return ClassAsync(context, id, @for, viewer.Scope, viewer.Actor, page: true, roster, reports, audit, time);
        }).RequireAuthorization(DashboardSetup.Policy).ExcludeFromDescription();
    }

    private static Task<IResult> PageAsync(HttpContext context, string id, string format, string? audience, IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time)
    {
        var viewer = DashboardViewer.Of(context.User);
        return StudentAsync(context, id, format, audience, viewer.Scope, viewer.Actor, page: true, roster, reports, audit, time);
    }

    // From the dashboard (page), a refusal is a bare status, which the site's error page (in its layout) explains.
    private static async Task<IResult> StudentAsync(HttpContext context, string id, string format, string? audienceName, RosterScope scope, string actor, bool page,
        IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time)
    {
        if (format is not ("pdf" or "html"))
        {
            return Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_format", $"format must be pdf or html, not \"{format}\"");
        }

        if (ReportAudiences.Parse(audienceName) is not { } audience)
        {
            return page ? Results.BadRequest() : InvalidAudience(context, audienceName);
        }

        if (!RosterIdRule.IsValid(id) || await roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } student || !scope.Allows(student))
        {
            return page ? Results.NotFound() : RosterProblems.UnknownStudent(context, id);
        }

        var report = await reports.ReportAsync(student, audience, context.RequestAborted).ConfigureAwait(false);
        string file = $"report-{student.Id}-{audience.Name()}";
        byte[] content;
        if (format == "html")
        {
            // The PDF link only on the dashboard's page: a link from the API's answer would not carry the caller's key.
            string? pdfLink = context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal) ? null
                : $"/students/{Uri.EscapeDataString(student.Id)}/report.pdf?for={audience.Name()}";
            content = Encoding.UTF8.GetBytes(StudentReportHtml.Render(report, pdfLink));
        }
        else if (!TryPdf(context, reports, [report], report.Heading, out content, out var problem))
        {
            return page ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : problem;
        }

        await AccessAudit.RecordAsync(audit, time, actor, "student.report", student.Id, context.RequestAborted, $"{audience.Name()}.{format}").ConfigureAwait(false);
        Confidential(context);
        if (format == "html")
        {
            context.Response.Headers.ContentSecurityPolicy = ReportPolicy;
            return Results.Bytes(content, "text/html; charset=utf-8");
        }

        return Results.File(content, "application/pdf", file + ".pdf");
    }

    private static async Task<IResult> ClassAsync(HttpContext context, string id, string? audienceName, RosterScope scope, string actor, bool page,
        IRosterDirectory roster, StudentReportBuilder reports, IAuditLog audit, TimeProvider time)
    {
        if (ReportAudiences.Parse(audienceName) is not { } audience)
        {
            return page ? Results.BadRequest() : InvalidAudience(context, audienceName);
        }

        if (!RosterIdRule.IsValid(id) || !await roster.ReachesAsync(RosterLevel.Class, id, scope, context.RequestAborted).ConfigureAwait(false))
        {
            return page ? Results.NotFound() : RosterProblems.NotFound(context, RosterLevel.Class, id);
        }

        var (students, count, className) = await reports.ClassReportsAsync(id, audience, context.RequestAborted).ConfigureAwait(false);
        if (students is null)
        {
            return page ? Results.StatusCode(StatusCodes.Status422UnprocessableEntity) : Problems.Of(context, StatusCodes.Status422UnprocessableEntity, "class_too_large",
                $"the class has {count} students; a bundle holds at most {reports.MaxBundle} (Reports:MaxBundle): print the students' reports one by one");
        }

        if (!TryPdf(context, reports, students, $"{className ?? $"Class {id}"}: reports for the {audience.Name()}", out byte[] pdf, out var problem))
        {
            return page ? Results.StatusCode(StatusCodes.Status503ServiceUnavailable) : problem;
        }

        Confidential(context);
        await AccessAudit.RecordAsync(audit, time, actor, "class.reports", id, context.RequestAborted,
            $"{audience.Name()}.pdf " + AccessAudit.Ids(students.Select(s => s.StudentId))).ConfigureAwait(false);
        return Results.File(pdf, "application/pdf", $"reports-{id}-{audience.Name()}.pdf");
    }

    /// <summary>The PDF, or the problem to answer when this machine lacks the fonts.</summary>
    private static bool TryPdf(HttpContext context, StudentReportBuilder reports, IReadOnlyList<StudentReport> content, string title,
        out byte[] pdf, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out IResult? problem)
    {
        try
        {
            pdf = reports.Pdf(content, title);
            problem = null;
            return true;
        }
        catch (ReportFontsMissingException exception)
        {
            pdf = [];
            problem = Problems.Of(context, StatusCodes.Status503ServiceUnavailable, "report_fonts_missing", exception.Message);
            return false;
        }
    }

    /// <summary>
    /// A query parameter the API does not take is refused, naming the ones it does: the dashboard's <c>for</c>
    /// sent to the API would otherwise give the teacher's report to someone asking for the family's.
    /// </summary>
    private static Task<IResult>? UnknownParameter(HttpContext context)
    {
        foreach (var parameter in context.Request.Query)
        {
            if (parameter.Key is not ("format" or "audience"))
            {
                return Task.FromResult(Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_parameter",
                    $"\"{parameter.Key}\" is not a parameter of this route: it takes format (pdf or html) and audience ({ReportAudiences.Names})"));
            }
        }

        return null;
    }

    /// <summary>A student record: no browser or proxy keeps a copy.</summary>
    private static void Confidential(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private static IResult InvalidAudience(HttpContext context, string? name) =>
        Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_audience", $"the audience must be {ReportAudiences.Names}, not \"{name}\"");
}
