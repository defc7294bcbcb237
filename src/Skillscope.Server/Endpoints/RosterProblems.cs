using Skillscope.Assessment.Roster;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>The answer for a student, district, school or class a caller names that is not there or not in its reach: the same either way.</summary>
internal static class RosterProblems
{
    public static IResult NotFound(HttpContext context, RosterLevel level, string id) =>
        Problems.Of(context, StatusCodes.Status404NotFound, $"{level.Name()}_not_found", $"no {level.Name()} has the id \"{id}\"");

    /// <summary>A student that is not there or not in the caller's reach.</summary>
    public static IResult UnknownStudent(HttpContext context, string id) =>
        Problems.Of(context, StatusCodes.Status404NotFound, "student_not_found", $"no student has the id \"{id}\"");
}
