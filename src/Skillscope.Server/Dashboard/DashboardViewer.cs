using System.Security.Claims;
using Skillscope.Assessment.Assessing;
using Skillscope.Server.Security;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// Who is looking at the dashboard, and what they may see: an admin sees every student, a teacher only
/// the students of their own classes. Everything else is "not found" — nothing tells a teacher that a
/// student they may not see exists.
/// </summary>
public sealed record DashboardViewer(string Username, string DisplayName, string Role, string? TeacherId)
{
    public bool IsAdmin => Role == Roles.Admin;

    /// <summary>The teacher whose classes bound every student query (null for admins: no bound).</summary>
    public string? Scope => IsAdmin ? null : TeacherId ?? "";

    public string Actor => $"user:{Username}";

    public bool MaySee(StudentRecord student) => IsAdmin || (TeacherId is not null && student?.TeacherId == TeacherId);

    public static DashboardViewer Of(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new DashboardViewer(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? "", user.FindFirstValue(ClaimTypes.Name) ?? "",
            user.FindFirstValue(ClaimTypes.Role) ?? "", user.FindFirstValue(DashboardAccounts.TeacherClaim));
    }
}
