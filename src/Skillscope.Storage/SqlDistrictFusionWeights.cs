using System.Data.Common;
using Dapper;
using Skillscope.Assessment.Fusion;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Districts' own fusion weights: each version of a district's written once, with its audit entry.</summary>
internal sealed class SqlDistrictFusionWeights(SqlDialect dialect) : IDistrictFusionWeightsStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, string>> LatestDistrictWeightsAsync(CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync(
            "SELECT w.district_id, w.document FROM district_fusion_weights w " +
            "JOIN (SELECT district_id, MAX(version) AS version FROM district_fusion_weights GROUP BY district_id) n ON n.district_id = w.district_id AND n.version = w.version",
            null, r => (r.GetString(0), r.GetString(1)), cancellation).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal);
    }

    public Task<bool> AddDistrictWeightsAsync(string districtId, long version, string document, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO district_fusion_weights (district_id, version, document, updated_ms, updated_by) VALUES (@districtId, @version, @document, @at, @by) " +
            "ON CONFLICT (district_id, version) DO NOTHING",
            new { districtId, version, document, at = ToMs(audit.At), by = audit.Actor }, transaction, cancellationToken: cancellation)), cancellation, ClusterChanges.Fusion);

    public Task<bool> RemoveDistrictWeightsAsync(string districtId, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM district_fusion_weights WHERE district_id = @districtId", new { districtId }, transaction, cancellationToken: cancellation)), cancellation, ClusterChanges.Fusion);
}
