using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Alerts;

/// <summary>Alert rules, states, events and deliveries in the database every replica shares.</summary>
public interface IAlertStore
{
    /// <summary>The latest rules document and its version, or null while the defaults apply.</summary>
    Task<(long Version, string Document)?> LatestRulesAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Stores version <paramref name="version"/> of the rules (their webhooks' URLs masked) with its audit
    /// entry, and the given webhooks' URLs and secrets (as the caller protected them); false when that version
    /// exists (another writer was first). Deliveries still pending follow their webhook: to its new form, or
    /// marked failed when it is gone (whose URL and secret go too).
    /// </summary>
    Task<bool> SaveRulesAsync(long version, string document, IReadOnlyList<AlertWebhook> webhooks, WebhookCredentials credentials, AuditEntry audit,
        CancellationToken cancellation = default);

    /// <summary>Masks every delivery's URL still held in the clear (deliveries stored before URLs were kept apart); returns how many.</summary>
    Task<int> MaskDeliveryUrlsAsync(CancellationToken cancellation = default);

    /// <summary>The stored webhook URLs and secrets by webhook id, as protected.</summary>
    Task<WebhookCredentials> WebhookCredentialsAsync(CancellationToken cancellation = default);

    /// <summary>Claims the evaluation due at <paramref name="now"/> until <paramref name="until"/>: false when another replica holds it.</summary>
    Task<bool> ClaimEvaluationAsync(DateTime now, DateTime until, CancellationToken cancellation = default);

    Task<IReadOnlyList<AlertState>> StatesAsync(CancellationToken cancellation = default);

    /// <summary>
    /// Writes one alert's change over the revision read (<paramref name="before"/>, null when it had no
    /// state): the new state (null: back to ok), and the event with a delivery per webhook, all or nothing.
    /// Returns the stored event (with its id), or null when another writer changed the state first.
    /// </summary>
    Task<(bool Written, AlertEvent? Event)> ApplyAsync(AlertState? before, AlertState? after, AlertEvent? change, IReadOnlyList<AlertWebhook> webhooks,
        CancellationToken cancellation = default);

    /// <summary>The latest events, newest first.</summary>
    Task<IReadOnlyList<AlertEvent>> EventsAsync(int limit, CancellationToken cancellation = default);

    /// <summary>The oldest undelivered delivery of each webhook, when it is due by <paramref name="now"/>.</summary>
    Task<IReadOnlyList<(AlertDelivery Delivery, AlertEvent Event)>> DueDeliveriesAsync(DateTime now, CancellationToken cancellation = default);

    /// <summary>Takes a due delivery for an attempt until <paramref name="leaseUntil"/>: false when another replica took it first.</summary>
    Task<bool> ClaimDeliveryAsync(AlertDelivery delivery, DateTime leaseUntil, CancellationToken cancellation = default);

    /// <summary>Records the outcome of attempt <paramref name="attempt"/> (the one claimed): delivered, failed for good, or to be tried again at <paramref name="nextAttempt"/>.</summary>
    Task RecordAttemptAsync(long deliveryId, int attempt, string status, DateTime? deliveredAt, DateTime nextAttempt, string? failure, CancellationToken cancellation = default);

    /// <summary>The latest deliveries, newest first.</summary>
    Task<IReadOnlyList<AlertDelivery>> DeliveriesAsync(int limit, CancellationToken cancellation = default);
}
