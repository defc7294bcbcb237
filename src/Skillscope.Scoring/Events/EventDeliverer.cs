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

    /// <summary>How many of a subscription's deliveries one look posts, in order, before it looks again.</summary>
    public const int BatchPerSubscription = 100;

    /// <summary>Subscriptions posted to at once.</summary>
    public const int Concurrency = 8;

    /// <summary>
    /// How long one look keeps posting to one subscription: a receiver that answers slowly (up to its timeout each
    /// time) holds the look, and with it the others' next deliveries, at most this long.
    /// </summary>
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Posts what is due now: each subscription's deliveries in order, one after another, until one fails (the
    /// rest wait behind it), none is due or its <see cref="Budget"/> is spent; up to <see cref="Concurrency"/>
    /// subscriptions side by side. Returns how many were accepted.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation = default)
    {
        var due = await store.DueDeliveriesAsync(_time.GetUtcNow().UtcDateTime, BatchPerSubscription, cancellation: cancellation).ConfigureAwait(false);
        int accepted = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<Exception>();

        // One subscription's failure (its database write, say) ends its own chain only: the others' posts are not cancelled half-way.
        await Parallel.ForEachAsync(due.GroupBy(d => d.SubscriptionId, StringComparer.Ordinal),
            new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellation },
            async (subscription, stop) =>
            {
                try
                {
                    Interlocked.Add(ref accepted, await DeliverInOrderAsync(subscription.Key, [.. subscription], stop).ConfigureAwait(false));
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !stop.IsCancellationRequested)
                {
                    failures.Enqueue(exception);
                }
            }).ConfigureAwait(false);
        return failures.IsEmpty ? accepted : throw new AggregateException($"{accepted} deliveries were accepted; some subscriptions' could not be posted", failures);
    }

    /// <summary>One subscription's deliveries in order, fetching more while every one is taken, within the budget.</summary>
    private async Task<int> DeliverInOrderAsync(string subscription, IReadOnlyList<EventDelivery> first, CancellationToken cancellation)
    {
        int accepted = 0;
        long start = _time.GetTimestamp();
        var batch = first;
        while (batch.Count > 0)
        {
            foreach (var delivery in batch)
            {
                if (_time.GetElapsedTime(start) > Budget || !await DeliverAsync(delivery, cancellation).ConfigureAwait(false))
                {
                    return accepted;
                }

                accepted++;
            }

            if (batch.Count < BatchPerSubscription)
            {
                return accepted;
            }

            batch = await store.DueDeliveriesAsync(_time.GetUtcNow().UtcDateTime, BatchPerSubscription, subscription, cancellation).ConfigureAwait(false);
        }

        return accepted;
    }

    /// <summary>Claims, posts and records one delivery; true when the receiver took it.</summary>
    private async Task<bool> DeliverAsync(EventDelivery delivery, CancellationToken cancellation)
    {
        if (!await store.ClaimDeliveryAsync(delivery, _time.GetUtcNow().UtcDateTime + DeliveryRetries.Lease, cancellation).ConfigureAwait(false))
        {
            return false;
        }

        string? error = await PostAsync(delivery, cancellation).ConfigureAwait(false);
        var after = _time.GetUtcNow().UtcDateTime;
        if (error is null)
        {
            // Not recorded: the claim ran out and another replica took the delivery; it goes on from there.
            return await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, Alerts.AlertDelivery.Delivered, after, after, null, CancellationToken.None)
                .ConfigureAwait(false);
        }

        bool giveUp = DeliveryRetries.GivesUp(delivery.CreatedAt, delivery.Attempts + 1, after);
        await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, giveUp ? Alerts.AlertDelivery.Failed : Alerts.AlertDelivery.Pending, null,
            after + retries.Backoff(delivery.Attempts + 1), error, CancellationToken.None).ConfigureAwait(false);
        return false;
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
