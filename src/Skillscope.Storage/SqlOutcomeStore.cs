using Dapper;
using Skillscope.Scoring.Monitoring;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Outcomes per model and entity (the latest wins), matched with the score each entity last got.</summary>
internal sealed class SqlOutcomeStore(SqlDialect dialect) : IOutcomeStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlySet<string>> ScoredEntitiesAsync(string model, IReadOnlyCollection<string> entityIds, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in entityIds.Distinct(StringComparer.Ordinal).Chunk(SqlDialect.IdChunk))
        {
            known.UnionWith(await _dialect.QueryAsync($"SELECT entity_id FROM predictions WHERE model = @model AND {_dialect.InList("entity_id", "ids")}",
                new { model, ids = _dialect.List(chunk) }, r => r.GetString(0), cancellation).ConfigureAwait(false));
        }

        return known;
    }

    public async Task SaveOutcomesAsync(string model, IReadOnlyList<Outcome> outcomes, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);

        // One row per entity in a statement: the latest outcome of an entity sent twice wins.
        var latest = new Dictionary<string, Outcome>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            latest[outcome.EntityId] = outcome;
        }

        await using (var inserter = _dialect.RowInserter(connection, transaction, "outcomes", ["model", "entity_id", "label", "at_ms"],
            "ON CONFLICT (model, entity_id) DO UPDATE SET label = excluded.label, at_ms = excluded.at_ms RETURNING entity_id"))
        {
            foreach (var outcome in latest.Values)
            {
                await inserter.AddAsync([model, outcome.EntityId, outcome.Label, ToMs(outcome.At)], cancellation).ConfigureAwait(false);
            }

            await inserter.FlushAsync(cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ScoredOutcome>> ScoredOutcomesAsync(string model, DateTime since, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT p.version, p.score, o.label FROM outcomes o JOIN predictions p ON p.model = o.model AND p.entity_id = o.entity_id " +
            "WHERE o.model = @model AND o.at_ms >= @since ORDER BY p.version, o.entity_id",
            new { model, since = ToMs(since) },
            r => new ScoredOutcome(r.GetString(0), (float)SqlValues.Double(r, 1), SqlValues.Double(r, 2)), cancellation);
}
