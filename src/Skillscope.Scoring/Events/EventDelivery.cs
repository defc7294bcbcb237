namespace Skillscope.Scoring.Events;

/// <summary>
/// One event for one subscription, written in the same transaction as what it tells of (so none is lost,
/// and none is told of a change that was rolled back) and posted in id order per subscription.
/// <see cref="Subject"/> names what the event is about (an assessment's id, a job's, <c>model@alias</c>, an
/// alert's rule and subject); <see cref="Data"/> is the event's JSON object, which the store composes when
/// it hands the delivery out. <see cref="Status"/> is one of <see cref="Alerts.AlertDelivery"/>'s.
/// </summary>
public sealed record EventDelivery(long Id, string SubscriptionId, string Type, string Subject, string? DistrictId, DateTime OccurredAt, string Data,
    string Status, int Attempts, DateTime CreatedAt, DateTime NextAttempt, DateTime? DeliveredAt, string? LastError);
