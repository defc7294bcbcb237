using System.Text.Json;
using Microsoft.Extensions.Options;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Students and their assessments: search, one student, assess (all skills or one) from stored
/// evidence, assess many at once, and the history of a student's assessments. A key bound to a
/// district or a teacher reaches only those students; any other is "not found", as if it did not exist.
/// </summary>
internal static class StudentEndpoints
{
    private const int MaxPageSize = 100;
    private const int MaxHistory = 200;

    private static readonly KeyValuePair<string, object?> ViaApi = new("via", "api");

    public static void Map(IEndpointRouteBuilder app)
    {
        var students = app.MapGroup("/api/v1/students").WithTags("Students and assessments");
        students.MapGet("", Search).RequireAuthorization(Roles.StudentsPolicy)
            .Answers<StudentSearchResponse>("Find students by name or id (q) and class, a page at a time; a teacher's or district's key sees its own only")
            .Refuses(400, "invalid_page");
        students.MapGet("/{id}", Get).RequireAuthorization(Roles.StudentsPolicy)
            .Answers<StudentResponse>("A student and their latest assessment").Refuses(404, "student_not_found");
        students.MapPost("/{id}/assess", (HttpContext context, string id, [AsParameters] StudentServices services) =>
            Assess(context, id, null, services))
            .RequireAuthorization(Roles.StudentsPolicy)
            .Answers<AssessmentResponse>("Assess a student from their stored evidence now: every skill, fused, explained and stored").Refuses(404, "student_not_found");
        students.MapPost("/{id}/assess/{skill}", Assess).RequireAuthorization(Roles.StudentsPolicy)
            .Answers<AssessmentResponse>("Assess one skill of a student").Refuses(404, "student_not_found", "skill_not_found");
        students.MapGet("/{id}/assessments", History).RequireAuthorization(Roles.StudentsPolicy)
            .Answers<AssessmentHistoryResponse>("A student's stored assessments, newest first (limit: 1 to 200)").Refuses(400, "invalid_limit").Refuses(404, "student_not_found");
        students.MapDelete("/{id}", Erase).RequireAuthorization(Roles.EraserPolicy)
            .Answers<ErasureResponse>("Erase everything stored about a student, in one transaction; the audit log keeps who erased whom").Refuses(404, "student_not_found");
        app.MapPost("/api/v1/assessments/batch", AssessBatch).RequireAuthorization(Roles.StudentsPolicy).WithTags("Students and assessments")
            .Takes<AssessBatchBody>("""{"student_ids": ["s-0001", "s-0002"]}""")
            .Answers<AssessBatchResponse>("Assess several students now (at most Assessment:MaxBatch, 100 by default); unknown ones are listed as errors")
            .Refuses(400, "invalid_request", "empty_request").Refuses(413, "too_many_students");
    }

    /// <summary>Erasure: everything stored about the student goes, in one transaction; the audit log records who erased whom.</summary>
    private static async Task<IResult> Erase(HttpContext context, string id, [AsParameters] StudentServices services)
    {
        if (!await MayReachAsync(context, id, services).ConfigureAwait(false))
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        var erased = await services.Privacy.EraseStudentAsync(id, Actors.Of(context), services.Time.GetUtcNow().UtcDateTime, context.RequestAborted).ConfigureAwait(false);
        if (erased is null)
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        return Results.Json(new ErasureResponse(RequestIds.Of(context), id, erased), JsonDefaults.Options);
    }

    private static async Task<IResult> Search(HttpContext context, [AsParameters] StudentServices services, string? q, string? class_id, int? page, int? page_size)
    {
        int number = page ?? 1, size = page_size ?? 25;
        if (number < 1 || size < 1 || size > MaxPageSize)
        {
            return Problems.Of(context, 400, "invalid_page", $"page must be 1 or more and page_size between 1 and {MaxPageSize}");
        }

        var found = await services.Roster.SearchStudentsAsync(q, class_id, number, size, ScopeClaims.Of(context.User), cancellation: context.RequestAborted).ConfigureAwait(false);
        await AccessAudit.RecordAsync(services.Audit, services.Time, Actors.Of(context), "students.searched", "students", context.RequestAborted,
            AccessAudit.Ids(found.Students.Select(s => s.Id))).ConfigureAwait(false);
        return Results.Json(new StudentSearchResponse(RequestIds.Of(context), found.Page, found.PageSize, found.Total, found.Students), JsonDefaults.Options);
    }

    private static async Task<IResult> Get(HttpContext context, string id, [AsParameters] StudentServices services)
    {
        var student = await services.Roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false);
        if (student is null || !ScopeClaims.Of(context.User).Allows(student))
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        await AccessAudit.RecordAsync(services.Audit, services.Time, Actors.Of(context), "student.viewed", id, context.RequestAborted).ConfigureAwait(false);

        var latest = await services.Records.HistoryAsync(id, 1, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new StudentResponse(RequestIds.Of(context), student, latest.Count > 0 ? latest[0] : null), JsonDefaults.Options);
    }

    private static async Task<IResult> Assess(HttpContext context, string id, string? skill, [AsParameters] StudentServices services)
    {
        if (skill is not null && services.Catalog.IndexOf(skill) < 0)
        {
            return SkillNotFound.Problem(context, skill, services.Catalog);
        }

        if (!await MayReachAsync(context, id, services).ConfigureAwait(false))
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        var (stored, unknown) = await services.Assessments.AssessAndSaveAsync(services.Host.Catalog, [id], skill is null ? null : [skill], context.RequestAborted).ConfigureAwait(false);
        if (unknown.Count > 0)
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        services.Metrics.StudentsAssessed.Add(stored.Count, ViaApi);
        await AccessAudit.RecordAsync(services.Audit, services.Time, Actors.Of(context), "student.assessed", id, context.RequestAborted,
            skill).ConfigureAwait(false);
        return Results.Json(new AssessmentResponse(RequestIds.Of(context), stored[0]), JsonDefaults.Options);
    }

    private static async Task<IResult> AssessBatch(HttpContext context, [AsParameters] StudentServices services, IOptions<AssessmentApiOptions> options)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: false).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        List<string> ids;
        using (document)
        {
            var root = document.RootElement;
            var array = root.ValueKind == JsonValueKind.Array ? root
                : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("student_ids", out var list) ? list : default;
            if (array.ValueKind != JsonValueKind.Array || array.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(e.GetString())))
            {
                return Problems.Of(context, 400, "invalid_request", "send {\"student_ids\": [\"…\", …]} or a JSON array of student ids");
            }

            ids = [.. array.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal)];
        }

        int max = options.Value.MaxBatch;
        if (ids.Count == 0)
        {
            return Problems.Of(context, 400, "empty_request", "no student ids");
        }

        if (ids.Count > max)
        {
            return Problems.Of(context, 413, "too_many_students", $"{ids.Count} students; at most {max} per request (Assessment:MaxBatch)");
        }

        var outside = new List<string>();
        if (!ScopeClaims.Of(context.User).IsEverything)
        {
            foreach (string id in ids)
            {
                if (!await MayReachAsync(context, id, services).ConfigureAwait(false))
                {
                    outside.Add(id);
                }
            }

            ids = [.. ids.Except(outside, StringComparer.Ordinal)];
        }

        var (stored, unknown) = await services.Assessments.AssessAndSaveAsync(services.Host.Catalog, ids, null, context.RequestAborted).ConfigureAwait(false);
        unknown = [.. outside, .. unknown];
        services.Metrics.StudentsAssessed.Add(stored.Count, ViaApi);
        await AccessAudit.RecordAsync(services.Audit, services.Time, Actors.Of(context), "students.assessed", "students",
            context.RequestAborted, AccessAudit.Ids(stored.Select(a => a.StudentId))).ConfigureAwait(false);
        var errors = unknown.Select(id => new StudentError(id, "student_not_found", "no student has this id"))
            .Concat(stored.Where(a => a.Failure is not null).Select(a => new StudentError(a.StudentId, a.Failure!.Code, a.Failure.Message)))
            .ToList();
        return Results.Json(new AssessBatchResponse(RequestIds.Of(context), stored.Count, stored, errors.Count > 0 ? errors : null), JsonDefaults.Options);
    }

    private static async Task<IResult> History(HttpContext context, string id, [AsParameters] StudentServices services, int? limit)
    {
        int count = limit ?? 20;
        if (count is < 1 or > MaxHistory)
        {
            return Problems.Of(context, 400, "invalid_limit", $"limit must be between 1 and {MaxHistory}");
        }

        if (await services.Roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false) is not { } student || !ScopeClaims.Of(context.User).Allows(student))
        {
            return RosterProblems.UnknownStudent(context, id);
        }

        var history = await services.Records.HistoryAsync(id, count, context.RequestAborted).ConfigureAwait(false);
        await AccessAudit.RecordAsync(services.Audit, services.Time, Actors.Of(context), "student.history_viewed", id, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new AssessmentHistoryResponse(RequestIds.Of(context), id, history), JsonDefaults.Options);
    }

    /// <summary>Whether the caller may reach this student: always for an unbound key (no lookup), else when the student is in its scope.</summary>
    private static async Task<bool> MayReachAsync(HttpContext context, string id, StudentServices services)
    {
        var scope = ScopeClaims.Of(context.User);
        return scope.IsEverything || (await services.Roster.GetStudentAsync(id, context.RequestAborted).ConfigureAwait(false) is { } student && scope.Allows(student));
    }
}
