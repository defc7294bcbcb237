using Skillscope.Assessment.Roster;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>The answer for a district, school or class a caller names that is not there or not in its reach: the same either way.</summary>
internal static class RosterProblems
{
    public static IResult NotFound(HttpContext context, RosterLevel level, string id) =>
        Problems.Of(context, StatusCodes.Status404NotFound, $"{level.Name()}_not_found", $"no {level.Name()} has the id \"{id}\"");
}
