namespace Skillscope.Assessment.Roster;

/// <summary>
/// A person who signs in to the dashboard: a teacher (linked to the roster's teacher, and so to their
/// classes) or an admin — of the whole system, or of one district (a tenant) when <see cref="DistrictId"/>
/// is set. The password is stored only as a hash.
/// </summary>
public sealed record DashboardUser(string Username, string DisplayName, string Role, string? TeacherId, string PasswordHash)
{
    /// <summary>The district an admin is bound to (sees only its students); null for the whole system.</summary>
    public string? DistrictId { get; init; }
}

/// <summary>Dashboard accounts.</summary>
public interface IUserStore
{
    Task<DashboardUser?> GetUserAsync(string username, CancellationToken cancellation = default);

    /// <summary>Creates the account or replaces it (a new password, role or teacher).</summary>
    Task UpsertUserAsync(DashboardUser user, CancellationToken cancellation = default);
}

/// <summary>Average fused score per skill over a class's latest assessments.</summary>
public sealed record ClassSkillAverage(string Skill, double Fused, int Students);
