using Microsoft.AspNetCore.Mvc;
using Skillscope.Assessment.Exports;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Exports for a student information system: every student's latest score of each skill, with band,
/// confidence and date, as CSV or JSON Lines, streamed. A key bound to a district or teacher exports its
/// own students only; a district, school or class outside its reach answers as one that does not exist.
/// </summary>
internal static class ExportEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/exports/scores", ScoresAsync).RequireAuthorization(Roles.StudentsPolicy).WithTags("Exports")
            .WithSummary("Latest score, band, confidence and date per student and skill, as CSV (format=csv, formula-safe) or JSON Lines (format=jsonl), streamed; narrowed by district, school, class and since")
            .Produces<string>(StatusCodes.Status200OK, "text/csv", "application/x-ndjson")
            .Refuses(StatusCodes.Status400BadRequest, "invalid_filter")
            .Refuses(StatusCodes.Status404NotFound, "district_not_found", "school_not_found", "class_not_found");
        app.MapGet("/api/v1/students/{id}/export", StudentAsync).RequireAuthorization(Roles.EraserPolicy).WithTags("Exports")
            .WithSummary("Everything stored about one student, for an access request: a ZIP of JSON files (roster row, evidence, ratings, features, scores, assessments with their feedback, accuracy answers, cached texts, the audit entries that name them); admins, a district's admin only its students")
            .Produces<byte[]>(StatusCodes.Status200OK, "application/zip")
            .Refuses(StatusCodes.Status404NotFound, "student_not_found");
    }

    private static async Task<IResult> StudentAsync(HttpContext context, string id, IRosterDirectory roster, Skillscope.Assessment.Import.IEvidenceStore evidence,
        Skillscope.Assessment.Privacy.IPrivacyStore privacy, Skillscope.Scoring.Registry.IAuditLog audit, TimeProvider time)
    {
        if (!RosterIdRule.IsValid(id) || await roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } student
            || !ScopeClaims.Of(context.User).Allows(student))
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        // Built whole before it is sent: a ZIP's directory comes last, and a failure half-way must not look like a complete export.
        var zip = new MemoryStream();
        await Skillscope.Assessment.Privacy.StudentDataExport.WriteAsync(student.Id, roster, evidence, privacy, zip, context.RequestAborted).ConfigureAwait(false);
        await AccessAudit.RecordAsync(audit, time, Actors.Of(context), "student.exported", student.Id, context.RequestAborted).ConfigureAwait(false);
        return Results.File(zip.ToArray(), "application/zip", $"student-{student.Id}.zip");
    }

    private static async Task<IResult> ScoresAsync(HttpContext context, string? district, string? school, [FromQuery(Name = "class")] string? classId, string? since,
        string? format, IScoreExports exports, DistrictSettingsBook districts, IRosterDirectory roster, Skillscope.Scoring.Registry.IAuditLog audit, TimeProvider time)
    {
        var problems = new List<string>();
        var chosen = ScoreExportFormat.Of(format ?? ScoreExportFormat.Csv);
        if (chosen is null)
        {
            problems.Add($"format must be one of {string.Join(", ", ScoreExportFormat.All)}, not \"{format}\"");
        }

        DateTime? from = null;
        if (since is not null && (from = ScoreExport.ParseSince(since)) is null)
        {
            problems.Add($"since must be {ScoreExport.SinceForms}, not \"{since}\"");
        }

        foreach (var (name, value) in new[] { ("district", district), ("school", school), ("class", classId) })
        {
            if (value is not null && !RosterIdRule.IsValid(value))
            {
                problems.Add($"{name} must be an id of 1 to {RosterIdRule.MaxLength} characters, none of them control characters");
            }
        }

        if (problems.Count > 0)
        {
            return Problems.Of(context, StatusCodes.Status400BadRequest, "invalid_filter", string.Join("; ", problems));
        }

        var filter = new ScoreExportFilter(ScopeClaims.Of(context.User), district, school, classId, from);
        if (await ScoreExport.OutOfReachAsync(roster, filter, context.RequestAborted).ConfigureAwait(false) is { } missing)
        {
            return RosterProblems.NotFound(context, missing.Level, missing.Id);
        }

        await AccessAudit.RecordAsync(audit, time, Actors.Of(context), "scores.exported", filter.Description, context.RequestAborted).ConfigureAwait(false);
        return Results.Stream(async stream =>
        {
            await using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16, leaveOpen: true);
            await ScoreExport.WriteAsync(exports, filter, chosen!, writer, districts.DistrictBands(), context.RequestAborted).ConfigureAwait(false);
        }, chosen!.ContentType, $"scores.{chosen.Name}");
    }
}
