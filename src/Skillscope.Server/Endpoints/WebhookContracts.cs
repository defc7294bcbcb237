using Skillscope.Scoring.Events;

namespace Skillscope.Server.Endpoints;

/// <summary>A subscription to make: where to post, which events, for which district (an admin bound to a district gets theirs), and optionally the signing secret.</summary>
internal sealed record WebhookBody(string Url, IReadOnlyList<string> Events, string? DistrictId, string? Secret);

/// <summary>A subscription as shown: its URL masked (it may hold a credential), the events it takes, its district (null: the whole installation).</summary>
internal sealed record WebhookView(string Id, string? DistrictId, string Url, IReadOnlyList<string> Events, DateTime CreatedAt, string CreatedBy)
{
    public static WebhookView Of(EventSubscription subscription) =>
        new(subscription.Id, subscription.DistrictId, subscription.MaskedUrl, subscription.Events, subscription.CreatedAt, subscription.CreatedBy);
}

/// <summary>
/// A subscription just made. <see cref="Secret"/> is the signing secret when one was made for it: shown this once,
/// never again (null when the request gave its own).
/// </summary>
internal sealed record WebhookCreatedResponse(string RequestId, WebhookView Webhook, string? Secret, bool SecretShownOnce);

internal sealed record WebhookListResponse(string RequestId, IReadOnlyList<WebhookView> Webhooks, IReadOnlyList<string> Events);

/// <summary>One delivery: the event, its outcome so far, when it is next tried, and the last failure.</summary>
internal sealed record WebhookDeliveryView(long Id, string Type, string Subject, string? DistrictId, DateTime OccurredAt, string Status, int Attempts,
    DateTime CreatedAt, DateTime? NextAttempt, DateTime? DeliveredAt, string? LastError)
{
    public static WebhookDeliveryView Of(EventDelivery delivery) => new(delivery.Id, delivery.Type, delivery.Subject, delivery.DistrictId, delivery.OccurredAt,
        delivery.Status, delivery.Attempts, delivery.CreatedAt, delivery.Status == Scoring.Alerts.AlertDelivery.Pending ? delivery.NextAttempt : null,
        delivery.DeliveredAt, delivery.LastError);
}

/// <summary>A subscription's latest deliveries, newest first.</summary>
internal sealed record WebhookDeliveriesResponse(string RequestId, string Webhook, IReadOnlyList<WebhookDeliveryView> Deliveries);

/// <summary>A delivery queued again: posted at the next look for deliveries due, under its own id.</summary>
internal sealed record WebhookReplayResponse(string RequestId, string Webhook, long DeliveryId, string Status);
