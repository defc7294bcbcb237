using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Dapper;
using Skillscope.Assessment.Reasoning;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Events;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;

namespace Skillscope.Storage;

/// <summary>
/// The registry in SQL, one implementation for SQLite and PostgreSQL (the statements are portable;
/// <see cref="SqlDialect"/> holds the differences). Every change commits with its audit entry and a
/// revision bump in one transaction.
/// </summary>
public sealed class SqlRegistryStore : IRegistryStore, IFeatureStore, IDisposable
{
    private readonly SqlDialect _dialect;
    private SqlAssessmentStores? _assessments;

    private SqlRegistryStore(SqlDialect dialect)
    {
        _dialect = dialect;
    }

    public string Kind => _dialect.Kind;

    /// <summary>An embedded SQLite database file (created if absent).</summary>
    public static SqlRegistryStore Sqlite(string path) => new(new SqliteDialect(path));

    /// <summary>A PostgreSQL database, by connection string (Npgsql's form or a <c>postgresql://</c> URL).</summary>
    /// <exception cref="FormatException">The connection string does not parse.</exception>
    public static SqlRegistryStore Postgres(string connectionString) => new(new PostgresDialect(PostgresConnectionString.Normalize(connectionString)));

    /// <summary>Reference profiles and live counts of served versions, for drift.</summary>
    public IMonitoringStore Monitoring => new SqlMonitoringStore(_dialect);

    /// <summary>Outcomes reported for scored entities.</summary>
    public IOutcomeStore Outcomes => new SqlOutcomeStore(_dialect);

    /// <summary>Alert rules, states, events and their deliveries.</summary>
    public IAlertStore Alerts => new SqlAlertStore(_dialect);

    /// <summary>Event subscriptions and deliveries.</summary>
    public IEventStore Events => new SqlEventStore(_dialect);

    /// <summary>Challengers on their way from the shadow to production.</summary>
    public IRolloutStore Rollouts => new SqlRolloutStore(_dialect);

    /// <summary>Roster, evidence, assessments and jobs in the same database.</summary>
    public SqlAssessmentStores Assessments => _assessments ??= new SqlAssessmentStores(_dialect);

    /// <summary>Fusion weights as versioned rows, for a database several replicas share.</summary>
    public SqlFusionWeightsStore FusionWeights => new(_dialect);

    /// <summary>
    /// An LLM call budget every process on this database shares, or null where the database is one
    /// machine's (SQLite): a process there keeps its own.
    /// </summary>
    public ILlmCallBudget? SharedLlmCallBudget(int perMinute, int perHour) =>
        SharedByReplicas ? new SqlLlmCallBudget(_dialect, perMinute, perHour) : null;

    /// <summary>
    /// True for a database several replicas can share (PostgreSQL), which also announces changes as they
    /// commit (<see cref="ListenAsync"/>); SQLite is one machine's, and its readers poll.
    /// </summary>
    public bool SharedByReplicas => _dialect.Notifies;

    /// <summary>The data-protection key ring behind dashboard cookies and antiforgery tokens, shared by every process on this database.</summary>
    public SqlDataProtectionKeys DataProtectionKeys => new(_dialect);

    public void Dispose() => (_dialect as IDisposable)?.Dispose();

    public async Task MigrateAsync(CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await _dialect.LockForMigrationAsync(connection, transaction, cancellation).ConfigureAwait(false);
        await Execute(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", null, cancellation).ConfigureAwait(false);
        var applied = (await connection.QueryAsync<long>(new CommandDefinition("SELECT version FROM schema_migrations", transaction: transaction, cancellationToken: cancellation)).ConfigureAwait(false)).ToHashSet();
        foreach (var (version, statements) in RegistryMigrations.All(_dialect))
        {
            if (applied.Contains(version))
            {
                continue;
            }

            foreach (var statement in statements)
            {
                await Execute(connection, transaction, statement, null, cancellation).ConfigureAwait(false);
            }

            if (version == EventBlockMigration.Version)
            {
                await EventBlockMigration.ConvertAsync(_dialect, connection, transaction, cancellation).ConfigureAwait(false);
            }

            await Execute(connection, transaction, "INSERT INTO schema_migrations (version, applied_at) VALUES (@version, @at)",
                new { version, at = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture) }, cancellation).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<bool> PingAsync(CancellationToken cancellation = default)
    {
        try
        {
            await using var connection = _dialect.Open();
            return await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: cancellation)).ConfigureAwait(false) == 1;
        }
        catch (DbException)
        {
            return false;
        }
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT revision FROM registry_revision WHERE id = 1", cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<bool> AddVersionAsync(ModelVersionRecord version, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(version);
        return await Change(audit, async (connection, transaction) =>
        {
            int inserted = await Execute(connection, transaction,
                "INSERT INTO model_versions (name, version, sha256, model_sha256, store_path, metadata, registered_at, registered_by) " +
                "VALUES (@Name, @Version, @Sha256, @ModelSha256, @StorePath, @MetadataJson, @RegisteredAt, @RegisteredBy) ON CONFLICT (name, version) DO NOTHING",
                version, cancellation).ConfigureAwait(false);
            return inserted == 1;
        }, cancellation).ConfigureAwait(false);
    }

    public async Task PutPackageAsync(string sha256, byte[] zip, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(zip);
        await using var connection = _dialect.Open();
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO model_packages (sha256, bytes, bytes_sha256, size, stored_at) VALUES (@sha256, @zip, @zipSha256, @size, @at) ON CONFLICT (sha256) DO NOTHING",
            new { sha256, zip, zipSha256 = Convert.ToHexStringLower(SHA256.HashData(zip)), size = (long)zip.Length, at = DateTime.UtcNow },
            cancellationToken: cancellation)).ConfigureAwait(false);
    }

    public async Task<PackageBytes?> GetPackageAsync(string sha256, CancellationToken cancellation = default) =>
        FirstOrNull(await Query("SELECT bytes, bytes_sha256 FROM model_packages WHERE sha256 = @sha256", new { sha256 },
            r => new PackageBytes((byte[])r.GetValue(0), r.GetString(1)), cancellation).ConfigureAwait(false));

    /// <summary>
    /// Receives the <see cref="ClusterChanges"/> topics other processes announce, until cancelled or the
    /// connection fails (then throws: the caller reconnects). <paramref name="connected"/> runs each time
    /// listening starts, so the caller can catch up on what it missed.
    /// </summary>
    public Task ListenAsync(Func<string, Task> topic, Func<Task> connected, CancellationToken cancellation) =>
        _dialect.ListenAsync(topic, connected, cancellation);

    public async Task<ModelVersionRecord?> GetVersionAsync(string name, string version, CancellationToken cancellation = default) =>
        FirstOrNull(await QueryVersions("WHERE name = @name AND version = @version", new { name, version }, cancellation).ConfigureAwait(false));

    public Task<IReadOnlyList<ModelVersionRecord>> ListVersionsAsync(string? name = null, CancellationToken cancellation = default) =>
        QueryVersions(name is null ? "" : "WHERE name = @name", new { name }, cancellation);

    public Task<IReadOnlyList<AliasRecord>> ListAliasesAsync(string? name = null, CancellationToken cancellation = default) =>
        Query(
            "SELECT name, alias, version, previous_version, updated_at, updated_by FROM model_aliases " +
            (name is null ? "" : "WHERE name = @name ") + "ORDER BY name, alias",
            new { name },
            r => new AliasRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), Timestamp(r, 4), r.GetString(5)),
            cancellation);

    public async Task SetAliasAsync(AliasRecord record, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await Change(audit, async (connection, transaction) => await Execute(connection, transaction,
            SqlDialect.Upsert("model_aliases", ["name", "alias"], ["version", "previous_version", "updated_at", "updated_by"]),
            new { name = record.Name, alias = record.Alias, version = record.Version, previous_version = record.PreviousVersion, updated_at = record.UpdatedAt, updated_by = record.UpdatedBy },
            cancellation).ConfigureAwait(false) == 1 && await PublishPromotionAsync(connection, transaction, record, audit, cancellation).ConfigureAwait(false),
            cancellation).ConfigureAwait(false);
    }

    public Task<bool> MoveAliasAsync(AliasRecord record, string from, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Change(audit, async (connection, transaction) => await Execute(connection, transaction,
            "UPDATE model_aliases SET version = @version, previous_version = @previous_version, updated_at = @updated_at, updated_by = @updated_by " +
            "WHERE name = @name AND alias = @alias AND version = @from",
            new { name = record.Name, alias = record.Alias, version = record.Version, previous_version = record.PreviousVersion, updated_at = record.UpdatedAt, updated_by = record.UpdatedBy, from },
            cancellation).ConfigureAwait(false) == 1 && await PublishPromotionAsync(connection, transaction, record, audit, cancellation).ConfigureAwait(false), cancellation);
    }

    /// <summary>
    /// Tells every subscription that takes <c>model.promoted</c> that a model's production alias moved (a
    /// promotion, a rollback, a canary set back), in the transaction that moves it. Other aliases are not told of.
    /// </summary>
    private static async Task<bool> PublishPromotionAsync(DbConnection connection, DbTransaction transaction, AliasRecord record, AuditEntry audit, CancellationToken cancellation)
    {
        if (record.Alias != ModelRegistry.Production)
        {
            return true;
        }

        var data = EventOutbox.Data(writer =>
        {
            writer.WriteString("model", record.Name);
            writer.WriteString("alias", record.Alias);
            writer.WriteString("version", record.Version);
            EventOutbox.WriteStringOrNull(writer, "previous_version", record.PreviousVersion);
            writer.WriteString("action", audit.Action);
        });
        await EventOutbox.PublishAsync(connection, transaction, Scoring.Events.EventTypes.ModelPromoted, $"{record.Name}@{record.Alias}", EventOutbox.Audience.Everyone,
            data, audit.At, cancellation).ConfigureAwait(false);
        return true;
    }

    public async Task<IReadOnlyList<TrafficSplit>> ListSplitsAsync(CancellationToken cancellation = default)
    {
        var rows = await Query("SELECT name, version, percent FROM traffic_splits ORDER BY name, position", null,
            r => (Name: r.GetString(0), Share: new SplitShare(r.GetString(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture))), cancellation).ConfigureAwait(false);
        var guards = (await Query("SELECT name, max_error_rate, min_auc_delta, min_outcomes FROM split_guards", null,
            r => (Name: r.GetString(0), Guard: new SplitGuard(r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2),
                Convert.ToInt32(r.GetValue(3), CultureInfo.InvariantCulture))), cancellation).ConfigureAwait(false)).ToDictionary(g => g.Name, g => g.Guard, StringComparer.Ordinal);
        return rows.GroupBy(r => r.Name, StringComparer.Ordinal)
            .Select(g => new TrafficSplit(g.Key, g.Select(r => r.Share).ToList()) { Guard = guards.GetValueOrDefault(g.Key) }).ToList();
    }

    public async Task SetSplitAsync(string name, IReadOnlyList<SplitShare> shares, SplitGuard? guard, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(shares);
        await Change(audit, async (connection, transaction) =>
        {
            await Execute(connection, transaction, "DELETE FROM traffic_splits WHERE name = @name", new { name }, cancellation).ConfigureAwait(false);
            await Execute(connection, transaction, "DELETE FROM split_guards WHERE name = @name", new { name }, cancellation).ConfigureAwait(false);
            if (guard is not null && shares.Count > 0)
            {
                await Execute(connection, transaction,
                    "INSERT INTO split_guards (name, max_error_rate, min_auc_delta, min_outcomes) VALUES (@name, @MaxErrorRate, @MinAucDelta, @MinOutcomes)",
                    new { name, guard.MaxErrorRate, guard.MinAucDelta, guard.MinOutcomes }, cancellation).ConfigureAwait(false);
            }

            for (int i = 0; i < shares.Count; i++)
            {
                await Execute(connection, transaction, "INSERT INTO traffic_splits (name, position, version, percent) VALUES (@name, @position, @version, @percent)",
                    new { name, position = i, version = shares[i].Version, percent = shares[i].Percent }, cancellation).ConfigureAwait(false);
            }

            return true;
        }, cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<ShadowDeployment>> ListShadowsAsync(CancellationToken cancellation = default) =>
        Query("SELECT name, version, percent, cuts FROM shadow_deployments ORDER BY name", null,
            r => new ShadowDeployment(r.GetString(0), r.GetString(1), Convert.ToInt32(r.GetValue(2), CultureInfo.InvariantCulture),
                System.Text.Json.JsonSerializer.Deserialize<double[]>(r.GetString(3)) ?? []), cancellation);

    public async Task SetShadowAsync(string name, ShadowDeployment? shadow, AuditEntry audit, CancellationToken cancellation = default)
    {
        await Change(audit, async (connection, transaction) =>
        {
            await Execute(connection, transaction, "DELETE FROM shadow_deployments WHERE name = @name", new { name }, cancellation).ConfigureAwait(false);
            if (shadow is not null)
            {
                await Execute(connection, transaction, "INSERT INTO shadow_deployments (name, version, percent, cuts) VALUES (@name, @version, @percent, @cuts)",
                    new { name, version = shadow.Version, percent = shadow.Percent, cuts = System.Text.Json.JsonSerializer.Serialize(shadow.Cuts) }, cancellation).ConfigureAwait(false);
            }

            return true;
        }, cancellation).ConfigureAwait(false);
    }

    public async Task AddApiKeyAsync(ApiKeyRecord key, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await Change(audit, async (connection, transaction) => await InsertKey(connection, transaction, key, cancellation).ConfigureAwait(false) == 1,
            cancellation, ClusterChanges.Keys).ConfigureAwait(false);
    }

    public async Task<ApiKeyRecord?> FindApiKeyAsync(string keyHash, CancellationToken cancellation = default) =>
        FirstOrNull(await Query($"SELECT {KeyColumns} FROM api_keys WHERE key_hash = @keyHash AND revoked_at IS NULL", new { keyHash }, ReadKey, cancellation).ConfigureAwait(false));

    public Task<IReadOnlyList<ApiKeyRecord>> ListApiKeysAsync(CancellationToken cancellation = default) =>
        Query($"SELECT {KeyColumns} FROM api_keys ORDER BY created_at DESC, id", null, ReadKey, cancellation);

    public Task<bool> RevokeApiKeyAsync(string id, DateTime at, AuditEntry audit, CancellationToken cancellation = default) =>
        Change(audit, async (connection, transaction) => await RevokeKey(connection, transaction, id, at, cancellation).ConfigureAwait(false) == 1,
            cancellation, ClusterChanges.Keys);

    public Task<bool> ReplaceApiKeyAsync(string id, ApiKeyRecord replacement, AuditEntry audit, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(replacement);
        return Change(audit, async (connection, transaction) =>
            await RevokeKey(connection, transaction, id, replacement.CreatedAt, cancellation).ConfigureAwait(false) == 1
            && await InsertKey(connection, transaction, replacement, cancellation).ConfigureAwait(false) == 1,
            cancellation, ClusterChanges.Keys);
    }

    public async Task RecordApiKeyUseAsync(IReadOnlyList<ApiKeyUse> uses, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(uses);
        if (uses.Count == 0)
        {
            return;
        }

        // Counts add up across replicas; the last use only moves forward (replicas report out of order).
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        await Execute(connection, transaction,
            "UPDATE api_keys SET requests = requests + @Requests, " +
            "last_used_at = CASE WHEN last_used_at IS NULL OR last_used_at < @LastUsedAt THEN @LastUsedAt ELSE last_used_at END WHERE id = @KeyId",
            uses.Select(u => new { u.KeyId, u.Requests, LastUsedAt = SqlTime.Utc(u.LastUsedAt) }).ToList(), cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    private const string KeyColumns = "id, name, role, key_hash, created_at, revoked_at, teacher_id, district_id, expires_at, requests, last_used_at";

    private static ApiKeyRecord ReadKey(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), Timestamp(r, 4), r.IsDBNull(5) ? null : Timestamp(r, 5))
        {
            TeacherId = r.IsDBNull(6) ? null : r.GetString(6),
            DistrictId = r.IsDBNull(7) ? null : r.GetString(7),
            ExpiresAt = r.IsDBNull(8) ? null : Timestamp(r, 8),
            Requests = SqlValues.Int64(r, 9),
            LastUsedAt = r.IsDBNull(10) ? null : Timestamp(r, 10),
        };

    private static Task<int> InsertKey(DbConnection connection, DbTransaction transaction, ApiKeyRecord key, CancellationToken cancellation) =>
        Execute(connection, transaction,
            "INSERT INTO api_keys (id, name, role, key_hash, created_at, teacher_id, district_id, expires_at) " +
            "VALUES (@Id, @Name, @Role, @KeyHash, @CreatedAt, @TeacherId, @DistrictId, @ExpiresAt)",
            new { key.Id, key.Name, key.Role, key.KeyHash, CreatedAt = SqlTime.Utc(key.CreatedAt), key.TeacherId, key.DistrictId, ExpiresAt = key.ExpiresAt is { } e ? SqlTime.Utc(e) : (DateTime?)null },
            cancellation);

    private static Task<int> RevokeKey(DbConnection connection, DbTransaction transaction, string id, DateTime at, CancellationToken cancellation) =>
        Execute(connection, transaction, "UPDATE api_keys SET revoked_at = @at WHERE id = @id AND revoked_at IS NULL", new { id, at = SqlTime.Utc(at) }, cancellation);

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit = 100, CancellationToken cancellation = default) =>
        Query($"SELECT {AuditColumns} FROM audit_log ORDER BY id DESC LIMIT @limit", new { limit }, ReadAudit, cancellation);

    // The condition repeats the partial index's (migration 16), so that the planner can use it.
    public Task<IReadOnlyList<AuditEntry>> ListAliasHistoryAsync(string subject, CancellationToken cancellation = default) =>
        Query($"SELECT {AuditColumns} FROM audit_log WHERE subject = @subject AND action LIKE 'alias.%' ORDER BY id", new { subject }, ReadAudit, cancellation);

    private const string AuditColumns = "id, at, actor, action, subject, before_value, after_value";

    private static AuditEntry ReadAudit(DbDataReader r) =>
        new(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Timestamp(r, 1), r.GetString(2), r.GetString(3), r.GetString(4),
            r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6));

    public async Task<int> UpsertFeaturesAsync(string model, IReadOnlyList<EntityFeatures> entities, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(entities);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var now = DateTime.UtcNow;
        int written = await Execute(connection, transaction,
            SqlDialect.Upsert("entity_features", ["model", "entity_id"], ["features", "updated_at"]),
            entities.Select(e => new { model, entity_id = e.Id, features = e.FeaturesJson, updated_at = now }).ToList(), cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return written;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetFeaturesAsync(string model, IReadOnlyList<string> ids, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var found = new Dictionary<string, string>(StringComparer.Ordinal);

        // In chunks: SQLite caps bound parameters per statement.
        foreach (var chunk in ids.Chunk(500))
        {
            var rows = await Query($"SELECT entity_id, features FROM entity_features WHERE model = @model AND {_dialect.InList("entity_id", "ids")}",
                new { model, ids = _dialect.List(chunk) }, r => (r.GetString(0), r.GetString(1)), cancellation).ConfigureAwait(false);
            foreach (var (id, features) in rows)
            {
                found[id] = features;
            }
        }

        return found;
    }

    private Task<IReadOnlyList<ModelVersionRecord>> QueryVersions(string where, object parameters, CancellationToken cancellation) =>
        Query(
            $"SELECT name, version, sha256, model_sha256, store_path, metadata, registered_at, registered_by FROM model_versions {where} ORDER BY name, registered_at, version",
            parameters,
            r => new ModelVersionRecord(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), Timestamp(r, 6), r.GetString(7)),
            cancellation);

    /// <summary>
    /// Runs a change, its audit entry and the revision bump in one transaction; a change that reports
    /// it changed nothing (returns false) is rolled back and leaves no audit entry.
    /// </summary>
    private async Task<bool> Change(AuditEntry audit, Func<DbConnection, DbTransaction, Task<bool>> change, CancellationToken cancellation, string topic = ClusterChanges.Registry)
    {
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        if (!await change(connection, transaction).ConfigureAwait(false))
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return false;
        }

        await Execute(connection, transaction, SqlAuditLog.Insert, audit, cancellation).ConfigureAwait(false);
        await Execute(connection, transaction, "UPDATE registry_revision SET revision = revision + 1 WHERE id = 1", null, cancellation).ConfigureAwait(false);
        await _dialect.NotifyAsync(connection, transaction, topic, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }

    private Task<IReadOnlyList<T>> Query<T>(string sql, object? parameters, Func<DbDataReader, T> map, CancellationToken cancellation) =>
        _dialect.QueryAsync(sql, parameters, map, cancellation);

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object? parameters, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));

    private static T? FirstOrNull<T>(IReadOnlyList<T> rows)
        where T : class => rows.Count > 0 ? rows[0] : null;

    private static DateTime Timestamp(DbDataReader reader, int column) => SqlValues.Timestamp(reader, column);
}
