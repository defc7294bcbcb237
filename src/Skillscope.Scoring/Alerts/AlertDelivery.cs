namespace Skillscope.Scoring.Alerts;

/// <summary>
/// One event to post to one webhook: stored with the event, so a receiver that is down loses nothing; tried
/// until it is accepted or <see cref="Events.DeliveryRetries.GiveUpAfter"/> has passed, in event order per webhook.
/// <see cref="Status"/> is <see cref="Pending"/>, <see cref="Delivered"/> or <see cref="Failed"/> (given up);
/// <see cref="NextAttempt"/> is when a pending one is next tried, <see cref="LastError"/> why the last attempt failed.
/// </summary>
public sealed record AlertDelivery(long Id, long EventId, string WebhookId, string Url, string Format, string Status, int Attempts, DateTime CreatedAt,
    DateTime NextAttempt, DateTime? DeliveredAt, string? LastError)
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Failed = "failed";
}
