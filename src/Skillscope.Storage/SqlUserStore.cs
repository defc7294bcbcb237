using Dapper;
using Skillscope.Assessment.Roster;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Dashboard accounts and their sessions.</summary>
internal sealed class SqlUserStore(SqlDialect dialect) : IUserStore
{
    private readonly SqlDialect _dialect = dialect;

    private const string UserColumns = "username, display_name, role, teacher_id, password_hash, district_id, security_stamp, disabled_ms";

    public async Task<DashboardUser?> GetUserAsync(string username, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"SELECT {UserColumns} FROM dashboard_users WHERE username = @username", new { username }, ReadUser, cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    public Task<IReadOnlyList<DashboardUser>> ListUsersAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {UserColumns} FROM dashboard_users ORDER BY username", null, ReadUser, cancellation);

    public async Task UpsertUserAsync(DashboardUser user, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO dashboard_users (username, display_name, role, teacher_id, district_id, password_hash, security_stamp, updated_ms) " +
            "VALUES (@Username, @DisplayName, @Role, @TeacherId, @DistrictId, @PasswordHash, @SecurityStamp, @now) " +
            "ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role, teacher_id = excluded.teacher_id, " +
            "district_id = excluded.district_id, password_hash = excluded.password_hash, security_stamp = excluded.security_stamp, updated_ms = excluded.updated_ms",
            new { user.Username, user.DisplayName, user.Role, user.TeacherId, user.DistrictId, user.PasswordHash, user.SecurityStamp, now = NowMs() },
            cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<bool> SetDisabledAsync(string username, bool disabled, string securityStamp, DateTime at, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE dashboard_users SET disabled_ms = @disabledMs, security_stamp = @securityStamp, updated_ms = @now WHERE username = @username",
            new { username, disabledMs = disabled ? ToMs(at) : (long?)null, securityStamp, now = ToMs(at) }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async Task<bool> ChangeSecurityStampAsync(string username, string securityStamp, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition("UPDATE dashboard_users SET security_stamp = @securityStamp, updated_ms = @now WHERE username = @username",
            new { username, securityStamp, now = NowMs() }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public async Task StartSessionAsync(string sessionId, string username, DateTime at, DateTime forgetBefore, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dashboard_sessions WHERE started_ms < @forget; INSERT INTO dashboard_sessions (id, username, started_ms) VALUES (@sessionId, @username, @started)",
            new { sessionId, username, started = ToMs(at), forget = ToMs(forgetBefore) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task EndSessionAsync(string sessionId, DateTime at, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition("UPDATE dashboard_sessions SET ended_ms = @ended WHERE id = @sessionId AND ended_ms IS NULL",
            new { sessionId, ended = ToMs(at) }, cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<DashboardSessionState?> SessionStateAsync(string username, string sessionId, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT u.security_stamp, u.disabled_ms, s.ended_ms FROM dashboard_users u JOIN dashboard_sessions s ON s.username = u.username " +
            "WHERE u.username = @username AND s.id = @sessionId",
            new { username, sessionId }, r => new DashboardSessionState(r.GetString(0), !r.IsDBNull(1), !r.IsDBNull(2)), cancellation).ConfigureAwait(false);
        return rows.Count > 0 ? rows[0] : null;
    }

    private static DashboardUser ReadUser(System.Data.Common.DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), SqlValues.NullableString(r, 3), r.GetString(4))
        {
            DistrictId = SqlValues.NullableString(r, 5),
            SecurityStamp = r.GetString(6),
            DisabledAt = r.IsDBNull(7) ? null : FromMs(SqlValues.Int64(r, 7)),
        };
}
