using System.Text.Json;
using Dapper;
using Skillscope.Assessment.Fusion;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Fusion weight proposals: each skill's fit kept as JSON, the status and who applied it as columns.</summary>
internal sealed class SqlFusionProposalStore(SqlDialect dialect) : IFusionProposalStore
{
    private const string Columns = "id, created_ms, created_by, base_version, document, status, applied_ms, applied_by, district_id, installation_version";

    private readonly SqlDialect _dialect = dialect;

    public async Task<FusionProposal> SaveAsync(FusionProposal proposal, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(proposal);
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO fusion_proposals (created_ms, created_by, base_version, document, status, district_id, installation_version) " +
            "VALUES (@created, @CreatedBy, @BaseVersion, @document, @Status, @DistrictId, @InstallationVersion) RETURNING id",
            new
            {
                created = ToMs(proposal.CreatedAt), proposal.CreatedBy, proposal.BaseVersion, document = JsonSerializer.Serialize(proposal.Skills, StoredJson.Options), proposal.Status,
                proposal.DistrictId, proposal.InstallationVersion,
            },
            transaction, cancellationToken: cancellation)).ConfigureAwait(false);
        var stored = proposal with { Id = id };
        await connection.ExecuteAsync(new CommandDefinition(SqlAuditLog.Insert, audit with { Subject = $"fusion-proposal:{id}" }, transaction, cancellationToken: cancellation))
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return stored;
    }

    public Task<IReadOnlyList<FusionProposal>> ListAsync(int limit, string? districtId = null, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {Columns} FROM fusion_proposals WHERE {(districtId is null ? "district_id IS NULL" : "district_id = @districtId")} ORDER BY id DESC LIMIT @limit",
            new { limit, districtId }, Read, cancellation);

    public async Task<FusionProposal?> GetAsync(long id, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync($"SELECT {Columns} FROM fusion_proposals WHERE id = @id", new { id }, Read, cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task<bool> MarkAppliedAsync(long id, DateTime at, string by, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => connection.ExecuteAsync(new CommandDefinition(
            "UPDATE fusion_proposals SET status = @applied, applied_ms = @at, applied_by = @by WHERE id = @id AND status = @proposed",
            new { id, at = ToMs(at), by, applied = FusionProposal.Applied, proposed = FusionProposal.Proposed }, transaction, cancellationToken: cancellation)), cancellation);

    private static FusionProposal Read(System.Data.Common.DbDataReader r) => new(
        SqlValues.Int64(r, 0), FromMs(SqlValues.Int64(r, 1)), r.GetString(2), SqlValues.Int64(r, 3),
        JsonSerializer.Deserialize<List<SkillFit>>(r.GetString(4), StoredJson.Options) ?? [], r.GetString(5),
        r.IsDBNull(6) ? null : FromMs(SqlValues.Int64(r, 6)), SqlValues.NullableString(r, 7))
    {
        DistrictId = SqlValues.NullableString(r, 8), InstallationVersion = r.IsDBNull(9) ? null : SqlValues.Int64(r, 9),
    };
}
