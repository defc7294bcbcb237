using System.Data.Common;
using Dapper;
using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Alert rules, states, events and deliveries; every state change is written over the revision read, with its event and deliveries.</summary>
internal sealed class SqlAlertStore(SqlDialect dialect) : IAlertStore
{
    private const string EventColumns = "id, rule_id, kind, subject, type, at_ms, value, threshold, message";

    private const string DeliveryColumns = "id, event_id, webhook_id, url, format, status, attempts, created_ms, next_ms, delivered_ms, last_error";

    private readonly SqlDialect _dialect = dialect;

    public async Task<(long Version, string Document)?> LatestRulesAsync(CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync("SELECT version, document FROM alert_rules ORDER BY version DESC LIMIT 1", null,
            r => (SqlValues.Int64(r, 0), r.GetString(1)), cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<bool> SaveRulesAsync(long version, string document, IReadOnlyList<AlertWebhook> webhooks, WebhookCredentials credentials, AuditEntry audit,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        ArgumentNullException.ThrowIfNull(credentials);
        ArgumentNullException.ThrowIfNull(audit);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        int written = await Execute(connection, transaction,
            "INSERT INTO alert_rules (version, document, updated_ms, updated_by) VALUES (@version, @document, @at, @by) ON CONFLICT (version) DO NOTHING",
            new { version, document, at = ToMs(audit.At), by = audit.Actor }, cancellation).ConfigureAwait(false);
        if (written == 0)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return false;
        }

        foreach (var (webhook, secret) in credentials.Secrets)
        {
            await Execute(connection, transaction,
                "INSERT INTO alert_webhook_secrets (webhook, secret) VALUES (@webhook, @secret) ON CONFLICT (webhook) DO UPDATE SET secret = excluded.secret",
                new { webhook, secret }, cancellation).ConfigureAwait(false);
        }

        foreach (var (webhook, url) in credentials.Urls)
        {
            await Execute(connection, transaction,
                "INSERT INTO alert_webhook_urls (webhook, url) VALUES (@webhook, @url) ON CONFLICT (webhook) DO UPDATE SET url = excluded.url",
                new { webhook, url }, cancellation).ConfigureAwait(false);
        }

        // Pending deliveries follow their webhook; those of a webhook that is gone fail, and its URL and secret go.
        var kept = webhooks.Select(w => w.Id).ToArray();
        foreach (var webhook in webhooks)
        {
            await Execute(connection, transaction, "UPDATE alert_deliveries SET url = @url, format = @Format WHERE webhook_id = @Id AND status = 'pending'",
                new { url = AlertWebhook.Masked(webhook.Url), webhook.Format, webhook.Id }, cancellation).ConfigureAwait(false);
        }

        string gone = kept.Length == 0 ? "" : $" AND NOT ({_dialect.InList("webhook_id", "kept")})";
        await Execute(connection, transaction,
            $"UPDATE alert_deliveries SET status = 'failed', last_error = 'the webhook was removed from the alert rules' WHERE status = 'pending'{gone}",
            new { kept = _dialect.List(kept) }, cancellation).ConfigureAwait(false);
        foreach (string table in new[] { "alert_webhook_secrets", "alert_webhook_urls" })
        {
            await Execute(connection, transaction, $"DELETE FROM {table} WHERE 1 = 1{(kept.Length == 0 ? "" : $" AND NOT ({_dialect.InList("webhook", "kept")})")}",
                new { kept = _dialect.List(kept) }, cancellation).ConfigureAwait(false);
        }
        await Execute(connection, transaction, SqlAuditLog.Insert, audit, cancellation).ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return true;
    }

    public async Task<int> MaskDeliveryUrlsAsync(CancellationToken cancellation = default)
    {
        var clear = await _dialect.QueryAsync("SELECT DISTINCT url FROM alert_deliveries WHERE url NOT LIKE @masked", new { masked = $"%{AlertWebhook.Ellipsis}%" },
            r => r.GetString(0), cancellation).ConfigureAwait(false);
        int changed = 0;
        await using var connection = _dialect.Open();
        foreach (string url in clear)
        {
            changed += await connection.ExecuteAsync(new CommandDefinition("UPDATE alert_deliveries SET url = @masked WHERE url = @url",
                new { masked = AlertWebhook.Masked(url), url }, cancellationToken: cancellation)).ConfigureAwait(false);
        }

        return changed;
    }

    public async Task<WebhookCredentials> WebhookCredentialsAsync(CancellationToken cancellation = default)
    {
        var secrets = await _dialect.QueryAsync("SELECT webhook, secret FROM alert_webhook_secrets", null, r => (r.GetString(0), r.GetString(1)), cancellation)
            .ConfigureAwait(false);
        var urls = await _dialect.QueryAsync("SELECT webhook, url FROM alert_webhook_urls", null, r => (r.GetString(0), r.GetString(1)), cancellation)
            .ConfigureAwait(false);
        return new WebhookCredentials(urls.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal), secrets.ToDictionary(r => r.Item1, r => r.Item2, StringComparer.Ordinal));
    }

    public async Task<bool> ClaimEvaluationAsync(DateTime now, DateTime until, CancellationToken cancellation = default)
    {
        await using var connection = _dialect.Open();
        return await connection.ExecuteAsync(new CommandDefinition("UPDATE alert_evaluation SET due_ms = @until WHERE id = 1 AND due_ms <= @now",
            new { now = ToMs(now), until = ToMs(until) }, cancellationToken: cancellation)).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<AlertState>> StatesAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync(
            "SELECT rule_id, subject, status, since_ms, fired_ms, value, threshold, updated_ms, revision FROM alert_states ORDER BY rule_id, subject", null,
            r => new AlertState(r.GetString(0), r.GetString(1), r.GetString(2), FromMs(SqlValues.Int64(r, 3)), r.IsDBNull(4) ? null : FromMs(SqlValues.Int64(r, 4)),
                r.GetDouble(5), r.GetDouble(6), FromMs(SqlValues.Int64(r, 7)), SqlValues.Int64(r, 8)),
            cancellation);

    public async Task<(bool Written, AlertEvent? Event)> ApplyAsync(AlertState? before, AlertState? after, AlertEvent? change, IReadOnlyList<AlertWebhook> webhooks,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        await using var connection = _dialect.Open();
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        int written = (before, after) switch
        {
            (null, null) => 1,
            (null, { } inserted) => await Execute(connection, transaction,
                "INSERT INTO alert_states (rule_id, subject, status, since_ms, fired_ms, value, threshold, updated_ms, revision) " +
                "VALUES (@RuleId, @Subject, @Status, @since, @fired, @Value, @Threshold, @updated, @Revision) ON CONFLICT (rule_id, subject) DO NOTHING",
                StateParameters(inserted), cancellation).ConfigureAwait(false),
            ({ } old, null) => await Execute(connection, transaction,
                "DELETE FROM alert_states WHERE rule_id = @RuleId AND subject = @Subject AND revision = @Revision", old, cancellation).ConfigureAwait(false),
            ({ } old, { } updated) => await Execute(connection, transaction,
                "UPDATE alert_states SET status = @Status, since_ms = @since, fired_ms = @fired, value = @Value, threshold = @Threshold, updated_ms = @updated, " +
                "revision = @Revision WHERE rule_id = @RuleId AND subject = @Subject AND revision = @read",
                UpdateParameters(updated, old.Revision), cancellation).ConfigureAwait(false),
        };
        if (written != 1)
        {
            await transaction.RollbackAsync(cancellation).ConfigureAwait(false);
            return (false, null);
        }

        AlertEvent? stored = null;
        if (change is not null)
        {
            long id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "INSERT INTO alert_events (rule_id, kind, subject, type, at_ms, value, threshold, message) " +
                "VALUES (@RuleId, @Kind, @Subject, @Type, @at, @Value, @Threshold, @Message) RETURNING id",
                new { change.RuleId, change.Kind, change.Subject, change.Type, at = ToMs(change.At), change.Value, change.Threshold, change.Message },
                transaction, cancellationToken: cancellation)).ConfigureAwait(false);
            stored = change with { Id = id };
            foreach (var webhook in webhooks)
            {
                await Execute(connection, transaction,
                    "INSERT INTO alert_deliveries (event_id, webhook_id, url, format, status, attempts, created_ms, next_ms) " +
                    "VALUES (@id, @webhook, @url, @format, 'pending', 0, @at, @at)",
                    new { id, webhook = webhook.Id, url = AlertWebhook.Masked(webhook.Url), format = webhook.Format, at = ToMs(change.At) }, cancellation).ConfigureAwait(false);
            }

            var data = EventOutbox.Data(writer =>
            {
                writer.WriteNumber("alert_id", id);
                writer.WriteString("rule_id", change.RuleId);
                writer.WriteString("kind", change.Kind);
                writer.WriteString("subject", change.Subject);
                EventOutbox.WriteNumberOrNull(writer, "value", change.Value);
                EventOutbox.WriteNumberOrNull(writer, "threshold", change.Threshold);
                writer.WriteString("message", change.Message);
            });
            string type = change.Type == AlertEvent.Fired ? Scoring.Events.EventTypes.AlertFiring : Scoring.Events.EventTypes.AlertResolved;
            await EventOutbox.PublishAsync(connection, transaction, type, $"{change.RuleId}/{change.Subject}", EventOutbox.Audience.Installation, data, change.At, cancellation)
                .ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return (true, stored);
    }

    public Task<IReadOnlyList<AlertEvent>> EventsAsync(int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {EventColumns} FROM alert_events ORDER BY id DESC LIMIT @limit", new { limit }, ReadEvent, cancellation);

    public async Task<IReadOnlyList<(AlertDelivery Delivery, AlertEvent Event)>> DueDeliveriesAsync(DateTime now, CancellationToken cancellation = default)
    {
        // The oldest pending delivery of each webhook, if due: a later event never overtakes an earlier one.
        string deliveryColumns = string.Join(", ", DeliveryColumns.Split(", ").Select(c => "d." + c));
        string eventColumns = string.Join(", ", EventColumns.Split(", ").Select(c => "e." + c));
        return await _dialect.QueryAsync(
            $"SELECT {deliveryColumns}, {eventColumns} FROM alert_deliveries d JOIN alert_events e ON e.id = d.event_id " +
            "WHERE d.status = 'pending' AND d.next_ms <= @now " +
            "AND d.id = (SELECT MIN(p.id) FROM alert_deliveries p WHERE p.webhook_id = d.webhook_id AND p.status = 'pending') ORDER BY d.id",
            new { now = ToMs(now) }, r => (ReadDelivery(r), ReadEvent(r, 11)), cancellation).ConfigureAwait(false);
    }

    public Task<bool> ClaimDeliveryAsync(AlertDelivery delivery, DateTime leaseUntil, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WebhookDeliveryRows.ClaimAsync(_dialect, WebhookDeliveryRows.AlertTable, delivery.Id, delivery.Attempts, leaseUntil, cancellation);
    }

    public async Task RecordAttemptAsync(long deliveryId, int attempt, string status, DateTime? deliveredAt, DateTime nextAttempt, string? failure,
        CancellationToken cancellation = default) =>
        _ = await WebhookDeliveryRows.RecordAsync(_dialect, WebhookDeliveryRows.AlertTable, deliveryId, attempt, status, deliveredAt, nextAttempt, failure, cancellation).ConfigureAwait(false);

    public Task<IReadOnlyList<AlertDelivery>> DeliveriesAsync(int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {DeliveryColumns} FROM alert_deliveries ORDER BY id DESC LIMIT @limit", new { limit }, ReadDelivery, cancellation);

    private static object StateParameters(AlertState state) => new
    {
        state.RuleId, state.Subject, state.Status, since = ToMs(state.Since), fired = state.FiredAt is { } fired ? ToMs(fired) : (long?)null,
        state.Value, state.Threshold, updated = ToMs(state.UpdatedAt), state.Revision,
    };

    private static DynamicParameters UpdateParameters(AlertState state, long read)
    {
        var parameters = new DynamicParameters(StateParameters(state));
        parameters.Add("read", read);
        return parameters;
    }

    private static AlertEvent ReadEvent(DbDataReader r) => ReadEvent(r, 0);

    private static AlertEvent ReadEvent(DbDataReader r, int o) => new(SqlValues.Int64(r, o), r.GetString(o + 1), r.GetString(o + 2), r.GetString(o + 3),
        r.GetString(o + 4), FromMs(SqlValues.Int64(r, o + 5)), r.GetDouble(o + 6), r.GetDouble(o + 7), r.GetString(o + 8));

    private static AlertDelivery ReadDelivery(DbDataReader r) => new(SqlValues.Int64(r, 0), SqlValues.Int64(r, 1), r.GetString(2), r.GetString(3), r.GetString(4),
        r.GetString(5), (int)SqlValues.Int64(r, 6), FromMs(SqlValues.Int64(r, 7)), FromMs(SqlValues.Int64(r, 8)), r.IsDBNull(9) ? null : FromMs(SqlValues.Int64(r, 9)),
        r.IsDBNull(10) ? null : r.GetString(10));

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object parameters, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));
}
