using Dapper;
using Skillscope.Assessment.Settings;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>
/// Districts' own documents in one table (<c>district_fusion_weights</c>, <c>district_settings</c>): each version of a
/// district's written once, with its audit entry, and announced to the other processes under <paramref name="topic"/>.
/// A removal is a version whose document is empty, so version numbers only go up.
/// </summary>
internal sealed class SqlDistrictDocuments(SqlDialect dialect, string table, string topic) : IDistrictDocuments
{
    private const string Removed = "";

    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, DistrictDocument>> LatestAsync(CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            $"SELECT w.district_id, w.version, w.document FROM {table} w " +
            $"JOIN (SELECT district_id, MAX(version) AS version FROM {table} GROUP BY district_id) n ON n.district_id = w.district_id AND n.version = w.version",
            null, r => (r.GetString(0), SqlValues.Int64(r, 1), r.GetString(2)), cancellation).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => new DistrictDocument(r.Item2, r.Item3 == Removed ? null : r.Item3), StringComparer.Ordinal);
    }

    public Task<bool> AddAsync(string districtId, long version, string? document, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            $"INSERT INTO {table} (district_id, version, document, updated_ms, updated_by) VALUES (@districtId, @version, @document, @at, @by) " +
            "ON CONFLICT (district_id, version) DO NOTHING",
            new { districtId, version, document = document ?? Removed, at = ToMs(audit.At), by = audit.Actor }, transaction, cancellationToken: cancellation)), cancellation, topic);
}
