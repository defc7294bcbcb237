using Skillscope.Assessment.Skills;
using Skillscope.Server.Http;

namespace Skillscope.Server.Endpoints;

/// <summary>The one answer for a skill the catalog does not have: 404 <c>skill_not_found</c>, listing the known skills.</summary>
internal static class SkillNotFound
{
    public static IResult Problem(HttpContext context, string? skill, SkillCatalog catalog) =>
        Problems.Of(context, 404, "skill_not_found",
            $"{(skill is null ? "unknown skill" : $"\"{skill}\" is not a skill")}; known skills: {string.Join(", ", catalog.Skills)}");
}
