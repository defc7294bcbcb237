using System.Security.Claims;
using Skillscope.Assessment.Roster;

namespace Skillscope.Server.Security;

/// <summary>
/// The claims that bound which students a caller reaches — the same for API keys and dashboard
/// sign-ins: a district (a tenant) and, for a teacher, the roster teacher whose classes they see.
/// </summary>
public static class ScopeClaims
{
    public const string Teacher = "skillscope:teacher_id";
    public const string District = "skillscope:district_id";

    /// <summary>The students this caller may see: a teacher only their classes, whatever else they hold.</summary>
    public static RosterScope Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        string? district = user.FindFirstValue(District);
        return user.IsInRole(Roles.Teacher) ? RosterScope.OfTeacher(user.FindFirstValue(Teacher), district) : new RosterScope(district, null);
    }

    /// <summary>Whether the caller acts for the whole system (not bound to a district or a teacher): only they change what every tenant shares.</summary>
    public static bool IsUnbound(ClaimsPrincipal user) => Of(user).IsEverything;

    /// <summary>Adds the binding claims of a key or an account.</summary>
    public static void AddTo(List<Claim> claims, string? teacherId, string? districtId)
    {
        ArgumentNullException.ThrowIfNull(claims);
        if (teacherId is not null)
        {
            claims.Add(new Claim(Teacher, teacherId));
        }

        if (districtId is not null)
        {
            claims.Add(new Claim(District, districtId));
        }
    }
}
