using System.Data.Common;
using Dapper;
using Skillscope.Scoring.Events;
using Skillscope.Scoring.Registry;
using static Skillscope.Storage.SqlTime;

namespace Skillscope.Storage;

/// <summary>Event subscriptions and their deliveries; deliveries are written by <see cref="EventOutbox"/> in the transactions of the changes they tell of.</summary>
internal sealed class SqlEventStore(SqlDialect dialect) : IEventStore
{
    private const string SubscriptionColumns = "id, district_id, masked_url, events, created_ms, created_by";

    // The assessment's own columns follow the delivery's: an assessment's data is composed from them when it is handed out.
    private const string DeliveryColumns =
        "d.id, d.subscription_id, d.type, d.subject, d.district_id, d.occurred_ms, d.data, d.status, d.attempts, d.created_ms, d.next_ms, d.delivered_ms, d.last_error, " +
        "d.assessment_id, a.student_id, a.assessed_at, a.job_id";

    private const string DeliveryJoin = "event_deliveries d LEFT JOIN assessments a ON a.id = d.assessment_id";

    private readonly SqlDialect _dialect = dialect;

    public Task AddSubscriptionAsync(EventSubscription subscription, string protectedUrl, string protectedSecret, AuditEntry audit,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => Execute(connection, transaction,
            "INSERT INTO event_subscriptions (id, district_id, events, masked_url, url, secret, created_ms, created_by) " +
            "VALUES (@Id, @DistrictId, @events, @MaskedUrl, @url, @secret, @created, @CreatedBy)",
            new { subscription.Id, subscription.DistrictId, events = EventTypes.Stored(subscription.Events), subscription.MaskedUrl, url = protectedUrl, secret = protectedSecret,
                created = ToMs(subscription.CreatedAt), subscription.CreatedBy }, cancellation), cancellation);
    }

    public Task<bool> RemoveSubscriptionAsync(string id, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, async (connection, transaction) =>
        {
            int removed = await Execute(connection, transaction, "DELETE FROM event_subscriptions WHERE id = @id", new { id }, cancellation).ConfigureAwait(false);
            if (removed == 1)
            {
                await Execute(connection, transaction, "DELETE FROM event_deliveries WHERE subscription_id = @id", new { id }, cancellation).ConfigureAwait(false);
            }

            return removed;
        }, cancellation);

    public Task<IReadOnlyList<EventSubscription>> SubscriptionsAsync(CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {SubscriptionColumns} FROM event_subscriptions ORDER BY created_ms, id", null, ReadSubscription, cancellation);

    public async Task<(string Url, string Secret)?> CredentialsAsync(string subscriptionId, CancellationToken cancellation = default)
    {
        var rows = await _dialect.QueryAsync("SELECT url, secret FROM event_subscriptions WHERE id = @subscriptionId", new { subscriptionId },
            r => (r.GetString(0), r.GetString(1)), cancellation).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public async Task<IReadOnlyList<EventDelivery>> DueDeliveriesAsync(DateTime now, int perSubscription = 1, string? subscription = null,
        CancellationToken cancellation = default)
    {
        // Subscription by subscription, each an index seek on its pending deliveries: a night's backlog of a
        // hundred thousand events costs each look what a backlog of one does.
        long due = ToMs(now);
        var heads = new List<EventDelivery>();
        IReadOnlyList<string> subscriptions = subscription is not null ? [subscription]
            : await _dialect.QueryAsync("SELECT id FROM event_subscriptions ORDER BY id", null, r => r.GetString(0), cancellation).ConfigureAwait(false);
        foreach (string one in subscriptions)
        {
            var pending = await _dialect.QueryAsync(
                $"SELECT {DeliveryColumns} FROM {DeliveryJoin} WHERE d.subscription_id = @one AND d.status = 'pending' ORDER BY d.id LIMIT @perSubscription",
                new { one, perSubscription }, r => (Next: SqlValues.Int64(r, 10), Delivery: ReadDelivery(r)), cancellation).ConfigureAwait(false);
            foreach (var (next, delivery) in pending)
            {
                if (next > due)
                {
                    break;
                }

                heads.Add(delivery);
            }
        }

        return heads;
    }

    public Task<bool> ClaimDeliveryAsync(EventDelivery delivery, DateTime leaseUntil, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        return WebhookDeliveryRows.ClaimAsync(_dialect, WebhookDeliveryRows.EventTable, delivery.Id, delivery.Attempts, leaseUntil, cancellation);
    }

    public Task<bool> RecordAttemptAsync(long deliveryId, int attempt, string status, DateTime? deliveredAt, DateTime nextAttempt, string? failure,
        CancellationToken cancellation = default) =>
        WebhookDeliveryRows.RecordAsync(_dialect, WebhookDeliveryRows.EventTable, deliveryId, attempt, status, deliveredAt, nextAttempt, failure, cancellation);

    public Task<IReadOnlyList<EventDelivery>> DeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellation = default) =>
        _dialect.QueryAsync($"SELECT {DeliveryColumns} FROM {DeliveryJoin} WHERE d.subscription_id = @subscriptionId ORDER BY d.id DESC LIMIT @limit",
            new { subscriptionId, limit }, ReadDelivery, cancellation);

    public Task<bool> ReplayAsync(string subscriptionId, long deliveryId, DateTime now, AuditEntry audit, CancellationToken cancellation = default) =>
        AuditedChange.RunAsync(_dialect, audit, (connection, transaction) => Execute(connection, transaction,
            "UPDATE event_deliveries SET status = 'pending', attempts = 0, created_ms = @now, next_ms = @now, delivered_ms = NULL " +
            "WHERE id = @deliveryId AND subscription_id = @subscriptionId AND status <> 'pending'",
            new { deliveryId, subscriptionId, now = ToMs(now) }, cancellation), cancellation);

    private static EventSubscription ReadSubscription(DbDataReader r) => new(
        r.GetString(0), SqlValues.NullableString(r, 1), r.GetString(2), EventTypes.Parse(r.GetString(3)), FromMs(SqlValues.Int64(r, 4)), r.GetString(5));

    private static EventDelivery ReadDelivery(DbDataReader r) => new(
        SqlValues.Int64(r, 0), r.GetString(1), r.GetString(2), r.GetString(3), SqlValues.NullableString(r, 4), FromMs(SqlValues.Int64(r, 5)),
        SqlValues.NullableString(r, 6) ?? AssessmentData(r), r.GetString(7), (int)SqlValues.Int64(r, 8), FromMs(SqlValues.Int64(r, 9)), FromMs(SqlValues.Int64(r, 10)),
        r.IsDBNull(11) ? null : FromMs(SqlValues.Int64(r, 11)), SqlValues.NullableString(r, 12));

    /// <summary>
    /// An assessment event's data, from the assessment as it is now: which student was assessed, when, and by which
    /// job. An assessment erased since is told by its id alone. Scores are not sent: a receiver reads them through the API.
    /// </summary>
    private static string AssessmentData(DbDataReader r)
    {
        long id = r.IsDBNull(13) ? long.Parse(r.GetString(3), System.Globalization.CultureInfo.InvariantCulture) : SqlValues.Int64(r, 13);
        bool present = !r.IsDBNull(14);
        return System.Text.Encoding.UTF8.GetString(EventOutbox.Data(writer =>
        {
            writer.WriteNumber("assessment_id", id);
            if (present)
            {
                writer.WriteString("student_id", r.GetString(14));
                writer.WriteString("assessed_at", DateTime.SpecifyKind(SqlValues.Timestamp(r, 15), DateTimeKind.Utc));
                EventOutbox.WriteStringOrNull(writer, "job_id", SqlValues.NullableString(r, 16));
            }
            else
            {
                writer.WriteBoolean("erased", true);
            }
        }));
    }

    private static Task<int> Execute(DbConnection connection, DbTransaction transaction, string sql, object? parameters, CancellationToken cancellation) =>
        connection.ExecuteAsync(new CommandDefinition(sql, parameters, transaction, cancellationToken: cancellation));
}
