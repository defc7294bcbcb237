using Dapper;
using Skillscope.Scoring.Monitoring;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Outcomes per model and entity (the latest wins), matched with the score each entity last got.</summary>
internal sealed class SqlOutcomeStore(SqlDialect dialect) : IOutcomeStore
{
    private readonly SqlDialect _dialect = dialect;

    public async Task<IReadOnlyDictionary<string, (string Version, float Score)>> LatestScoresAsync(string model, IReadOnlyCollection<string> entityIds,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entityIds);
        var scores = new Dictionary<string, (string Version, float Score)>(StringComparer.Ordinal);
        foreach (var chunk in entityIds.Distinct(StringComparer.Ordinal).Chunk(SqlDialect.IdChunk))
        {
            foreach (var (entity, version, score) in await _dialect.QueryAsync(
                $"SELECT entity_id, version, score FROM predictions WHERE model = @model AND {_dialect.InList("entity_id", "ids")}",
                new { model, ids = _dialect.List(chunk) }, r => (r.GetString(0), r.GetString(1), (float)SqlValues.Double(r, 2)), cancellation).ConfigureAwait(false))
            {
                scores[entity] = (version, score);
            }
        }

        return scores;
    }

    public async Task SaveOutcomesAsync(string model, IReadOnlyList<MatchedOutcome> outcomes, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);

        // One row per entity in a statement: the latest outcome of an entity sent twice wins.
        var latest = new Dictionary<string, MatchedOutcome>(StringComparer.Ordinal);
        foreach (var outcome in outcomes)
        {
            latest[outcome.EntityId] = outcome;
        }

        await using (var inserter = _dialect.RowInserter(connection, transaction, "outcomes", ["model", "entity_id", "version", "score", "label", "at_ms"],
            "ON CONFLICT (model, entity_id) DO UPDATE SET version = excluded.version, score = excluded.score, label = excluded.label, at_ms = excluded.at_ms RETURNING entity_id"))
        {
            foreach (var outcome in latest.Values)
            {
                await inserter.AddAsync([model, outcome.EntityId, outcome.Version, (double)outcome.Score, outcome.Label, ToMs(outcome.At)], cancellation).ConfigureAwait(false);
            }

            await inserter.FlushAsync(cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ScoredOutcome>> ScoredOutcomesAsync(string model, DateTime since, CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT version, score, label FROM outcomes WHERE model = @model AND at_ms >= @since ORDER BY version, entity_id",
            new { model, since = ToMs(since) },
            r => new ScoredOutcome(r.GetString(0), (float)SqlValues.Double(r, 1), SqlValues.Double(r, 2)), cancellation);
}
