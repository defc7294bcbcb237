using System.Buffers;
using System.Text.Json;

namespace Skillscope.Scoring.Events;

/// <summary>
/// Posts due event deliveries to their subscriptions, oldest first per subscription, with the machinery
/// alerts use: claimed in the database so one replica posts each, signed with the subscription's secret,
/// retried as <see cref="DeliveryRetries"/> says. A receiver that is down holds back only its own deliveries,
/// and gets them in order when it is back.
/// </summary>
/// <param name="store">Where subscriptions and deliveries are kept.</param>
/// <param name="poster">Posts one body.</param>
/// <param name="unprotect">Reads a protected URL or secret (throws <see cref="InvalidOperationException"/> when it cannot).</param>
/// <param name="retries">How patiently a delivery is tried.</param>
/// <param name="time">The clock.</param>
public sealed class EventDeliverer(IEventStore store, WebhookPoster poster, Func<string, string> unprotect, DeliveryRetries retries, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Posts every delivery due now (one per subscription); returns how many were accepted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation = default)
    {
        int accepted = 0;
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var delivery in await store.DueDeliveriesAsync(now, cancellation).ConfigureAwait(false))
        {
            if (!await store.ClaimDeliveryAsync(delivery, now + DeliveryRetries.Lease, cancellation).ConfigureAwait(false))
            {
                continue;
            }

            string? error = await PostAsync(delivery, cancellation).ConfigureAwait(false);
            var after = _time.GetUtcNow().UtcDateTime;
            if (error is null)
            {
                accepted++;
                await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, Alerts.AlertDelivery.Delivered, after, after, null, CancellationToken.None)
                    .ConfigureAwait(false);
            }
            else
            {
                bool giveUp = DeliveryRetries.GivesUp(delivery.CreatedAt, after);
                await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, giveUp ? Alerts.AlertDelivery.Failed : Alerts.AlertDelivery.Pending, null,
                    after + retries.Backoff(delivery.Attempts + 1), error, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return accepted;
    }

    /// <summary>
    /// The body of a delivery: <c>{"id", "type", "occurred_at", "district_id", "data"}</c>. The id is the
    /// delivery's (also in the <see cref="WebhookPoster.DeliveryHeader"/> header), the same on every attempt and replay.
    /// </summary>
    public static byte[] Body(EventDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        var buffer = new ArrayBufferWriter<byte>(256 + delivery.Data.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", delivery.Id);
            writer.WriteString("type", delivery.Type);
            writer.WriteString("occurred_at", DateTime.SpecifyKind(delivery.OccurredAt, DateTimeKind.Utc));
            if (delivery.DistrictId is null)
            {
                writer.WriteNull("district_id");
            }
            else
            {
                writer.WriteString("district_id", delivery.DistrictId);
            }

            writer.WritePropertyName("data");
            writer.WriteRawValue(delivery.Data);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private async Task<string?> PostAsync(EventDelivery delivery, CancellationToken cancellation)
    {
        string url, secret;
        try
        {
            if (await store.CredentialsAsync(delivery.SubscriptionId, cancellation).ConfigureAwait(false) is not { } stored)
            {
                return "the subscription was removed";
            }

            (url, secret) = (unprotect(stored.Url), unprotect(stored.Secret));
        }
        catch (InvalidOperationException exception)
        {
            // Nothing is posted unsigned, or to a URL that cannot be read.
            return exception.Message;
        }

        return await poster.PostAsync(url, secret, delivery.Type, delivery.Id, Body(delivery), cancellation).ConfigureAwait(false);
    }
}
