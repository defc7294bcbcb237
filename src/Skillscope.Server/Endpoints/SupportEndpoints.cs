using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Settings;
using Skillscope.Assessment.Support;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// Students to check on, per class and per school: those with two or more growth areas, a drop of a band
/// since the assessment before, or too little evidence to act on, each with every reason. A key reaches the
/// classes and schools of its scope; any other answers as one that does not exist.
/// </summary>
internal static class SupportEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/classes/{id}/students-to-check", (HttpContext context, string id, IRosterDirectory roster, IStudentHistories histories, DistrictSettingsBook districts,
                IAuditLog audit, TimeProvider time) =>
                AnswerAsync(context, RosterLevel.Class, id, roster, () => histories.OfClassAsync(id, ScopeClaims.Of(context.User), context.RequestAborted), districts, audit, time))
            .RequireAuthorization(Roles.StudentsPolicy).WithTags("Students and assessments")
            .Answers<StudentsToCheckResponse>("The students of a class to check on, each with every reason (growth_areas, band_drop, needs_evidence)")
            .Refuses(StatusCodes.Status404NotFound, "class_not_found");
        app.MapGet("/api/v1/schools/{id}/students-to-check", (HttpContext context, string id, IRosterDirectory roster, IStudentHistories histories, DistrictSettingsBook districts,
                IAuditLog audit, TimeProvider time) =>
                AnswerAsync(context, RosterLevel.School, id, roster, () => histories.OfSchoolAsync(id, ScopeClaims.Of(context.User), context.RequestAborted), districts, audit, time))
            .RequireAuthorization(Roles.StudentsPolicy).WithTags("Students and assessments")
            .Answers<StudentsToCheckResponse>("The students of a school to check on (those of the key's scope), each with every reason")
            .Refuses(StatusCodes.Status404NotFound, "school_not_found");
    }

    private static async Task<IResult> AnswerAsync(HttpContext context, RosterLevel level, string id, IRosterDirectory roster, Func<Task<IReadOnlyList<StudentHistory>>> read,
        DistrictSettingsBook districts, IAuditLog audit, TimeProvider time)
    {
        if (!RosterIdRule.IsValid(id) || !await roster.ReachesAsync(level, id, ScopeClaims.Of(context.User), context.RequestAborted).ConfigureAwait(false))
        {
            return RosterProblems.NotFound(context, level, id);
        }

        var students = CheckOnRules.Apply(await read().ConfigureAwait(false), districts.BandsOf);
        await AccessAudit.RecordAsync(audit, time, Actors.Of(context), $"{level.Name()}.checked", id, context.RequestAborted, AccessAudit.Ids(students.Select(s => s.StudentId))).ConfigureAwait(false);
        return Results.Json(new StudentsToCheckResponse(RequestIds.Of(context), id, students), JsonDefaults.Options);
    }
}

/// <summary>The students of a class or school to check on, with every reason.</summary>
internal sealed record StudentsToCheckResponse(string RequestId, string Id, IReadOnlyList<StudentToCheckOn> Students);
