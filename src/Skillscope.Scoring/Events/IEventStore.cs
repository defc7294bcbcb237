using Skillscope.Scoring.Registry;

namespace Skillscope.Scoring.Events;

/// <summary>
/// Event subscriptions and their deliveries in the database every replica shares. Events are written by the
/// stores that make the changes they tell of (an assessment saved, a job finished, a production alias moved,
/// an alert fired or resolved), inside the same transaction; this contract manages what happens after.
/// </summary>
public interface IEventStore
{
    /// <summary>Stores a subscription with its URL and secret as the caller protected them, and its audit entry.</summary>
    Task AddSubscriptionAsync(EventSubscription subscription, string protectedUrl, string protectedSecret, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Removes a subscription, its credentials and its deliveries (pending ones are not posted); false when there is none by that id.</summary>
    Task<bool> RemoveSubscriptionAsync(string id, AuditEntry audit, CancellationToken cancellation = default);

    /// <summary>Every subscription, oldest first.</summary>
    Task<IReadOnlyList<EventSubscription>> SubscriptionsAsync(CancellationToken cancellation = default);

    /// <summary>A subscription's URL and secret as protected, or null when there is no such subscription.</summary>
    Task<(string Url, string Secret)?> CredentialsAsync(string subscriptionId, CancellationToken cancellation = default);

    /// <summary>
    /// Each subscription's oldest pending deliveries that are due by <paramref name="now"/>, up to
    /// <paramref name="perSubscription"/> of them, in order; a subscription's list ends at its first pending
    /// delivery that is not due (a later one never overtakes it). With <paramref name="subscription"/>, that one's only.
    /// </summary>
    Task<IReadOnlyList<EventDelivery>> DueDeliveriesAsync(DateTime now, int perSubscription = 1, string? subscription = null, CancellationToken cancellation = default);

    /// <summary>Takes a due delivery for an attempt until <paramref name="leaseUntil"/>: false when another replica took it first.</summary>
    Task<bool> ClaimDeliveryAsync(EventDelivery delivery, DateTime leaseUntil, CancellationToken cancellation = default);

    /// <summary>
    /// Records the outcome of attempt <paramref name="attempt"/> (the one claimed): delivered, failed for good, or to be
    /// tried again at <paramref name="nextAttempt"/>. False when the claim had run out and another replica claimed it since.
    /// </summary>
    Task<bool> RecordAttemptAsync(long deliveryId, int attempt, string status, DateTime? deliveredAt, DateTime nextAttempt, string? failure, CancellationToken cancellation = default);

    /// <summary>A subscription's latest deliveries, newest first.</summary>
    Task<IReadOnlyList<EventDelivery>> DeliveriesAsync(string subscriptionId, int limit, CancellationToken cancellation = default);

    /// <summary>
    /// Sends a delivery that failed (or was delivered) again: pending from <paramref name="now"/>, its attempts
    /// counted from zero (so its pauses start short again), tried for the full give-up period, with its audit entry. False when the subscription has no such delivery
    /// or it is still pending.
    /// </summary>
    Task<bool> ReplayAsync(string subscriptionId, long deliveryId, DateTime now, AuditEntry audit, CancellationToken cancellation = default);
}
