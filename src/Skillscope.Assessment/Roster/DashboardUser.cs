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

    /// <summary>
    /// Changes whenever what a session may rely on changes (password, role, scope, disabling, "sign out
    /// everywhere"): a session started under another stamp is over.
    /// </summary>
    public string SecurityStamp { get; init; } = "";

    /// <summary>When the account was disabled; a disabled account cannot sign in and its sessions end.</summary>
    public DateTime? DisabledAt { get; init; }
}

/// <summary>What a request's dashboard session is checked against: its account's stamp and state, and the session's own.</summary>
public sealed record DashboardSessionState(string SecurityStamp, bool AccountDisabled, bool SessionEnded);

/// <summary>Dashboard accounts.</summary>
public interface IUserStore
{
    Task<DashboardUser?> GetUserAsync(string username, CancellationToken cancellation = default);

    /// <summary>Creates the account or replaces it (a new password, role or teacher); whether it is disabled stays as it was.</summary>
    Task UpsertUserAsync(DashboardUser user, CancellationToken cancellation = default);

    /// <summary>Every account, by username.</summary>
    Task<IReadOnlyList<DashboardUser>> ListUsersAsync(CancellationToken cancellation = default);

    /// <summary>Disables or enables an account and gives it <paramref name="securityStamp"/> (ending its sessions); false when there is no such account.</summary>
    Task<bool> SetDisabledAsync(string username, bool disabled, string securityStamp, DateTime at, CancellationToken cancellation = default);

    /// <summary>Gives the account a new stamp, which ends every session it has (sign out everywhere); false when there is no such account.</summary>
    Task<bool> ChangeSecurityStampAsync(string username, string securityStamp, CancellationToken cancellation = default);

    /// <summary>Records a session started at sign-in, and forgets sessions that started before <paramref name="forgetBefore"/> (long over).</summary>
    Task StartSessionAsync(string sessionId, string username, DateTime at, DateTime forgetBefore, CancellationToken cancellation = default);

    /// <summary>Ends one session (sign-out): its cookie, even if kept, no longer signs anyone in.</summary>
    Task EndSessionAsync(string sessionId, DateTime at, CancellationToken cancellation = default);

    /// <summary>The state a session is checked against; null when the account or the session is unknown.</summary>
    Task<DashboardSessionState?> SessionStateAsync(string username, string sessionId, CancellationToken cancellation = default);
}

/// <summary>Average fused score per skill over a class's latest assessments.</summary>
public sealed record ClassSkillAverage(string Skill, double Fused, int Students);
