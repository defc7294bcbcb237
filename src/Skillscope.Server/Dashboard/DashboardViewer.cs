using System.Security.Claims;
using Skillscope.Assessment.Assessing;
using Skillscope.Assessment.Roster;
using Skillscope.Server.Security;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// Who is looking at the dashboard, and what they may see: the system's admin every student, a district's
/// admin that district's, a teacher only the students of their own classes. Everything else is "not
/// found" — nothing tells a viewer that a student they may not see exists.
/// </summary>
public sealed record DashboardViewer(string Username, string DisplayName, string Role, RosterScope Scope)
{
    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>An admin of the whole system (not of one district): only they change what every tenant shares.</summary>
    public bool IsSystemAdmin => IsAdmin && Scope.IsEverything;

    public string Actor => $"user:{Username}";

    public bool MaySee(StudentRecord student) => Scope.Allows(student);

    public static DashboardViewer Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new DashboardViewer(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.FindFirstValue(ClaimTypes.Name) ?? "",
            user.FindFirstValue(ClaimTypes.Role) ?? "", ScopeClaims.Of(user));
    }
}
