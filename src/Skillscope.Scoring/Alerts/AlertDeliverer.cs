using Skillscope.Scoring.Events;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Posts stored deliveries to their webhooks, oldest first per webhook: a delivery is claimed in the
/// database (so one replica posts it), signed when the webhook has a secret (<see cref="WebhookPoster"/>), and on
/// failure tried again as <see cref="DeliveryRetries"/> says. It runs apart from scoring: a receiver that is down
/// or slow delays nothing but its own deliveries.
/// </summary>
/// <param name="store">Where deliveries are kept.</param>
/// <param name="http">The client deliveries are posted with (its timeout bounds a slow receiver).</param>
/// <param name="credentialsOf">A webhook's URL and signing secret by id, unprotected (either null when it has none; throws <see cref="InvalidOperationException"/> when they cannot be read).</param>
/// <param name="time">The clock.</param>
/// <param name="firstRetry">The pause after the first failed attempt (<see cref="DeliveryRetries.DefaultFirstRetry"/> unless configured).</param>
public sealed class AlertDeliverer(IAlertStore store, HttpClient http, Func<string, CancellationToken, Task<(string? Url, string? Secret)>> credentialsOf, TimeProvider? time = null,
    TimeSpan? firstRetry = null)
{
    private readonly DeliveryRetries _retries = new(firstRetry);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private readonly WebhookPoster _poster = new(http, time);

    /// <summary>Posts every delivery due now (one per webhook); returns how many were accepted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation = default)
    {
        int accepted = 0;
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var (delivery, alert) in await store.DueDeliveriesAsync(now, cancellation).ConfigureAwait(false))
        {
            if (!await store.ClaimDeliveryAsync(delivery, now + DeliveryRetries.Lease, cancellation).ConfigureAwait(false))
            {
                continue;
            }

            string? error = await PostAsync(delivery, alert, cancellation).ConfigureAwait(false);
            var after = _time.GetUtcNow().UtcDateTime;
            if (error is null)
            {
                accepted++;
                await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, AlertDelivery.Delivered, after, after, null, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                bool giveUp = DeliveryRetries.GivesUp(delivery.CreatedAt, delivery.Attempts + 1, after);
                await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, giveUp ? AlertDelivery.Failed : AlertDelivery.Pending, null,
                    after + _retries.Backoff(delivery.Attempts + 1), error, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return accepted;
    }

    /// <summary>Posts one delivery: null when the receiver accepted it (2xx), else why not.</summary>
    private async Task<string?> PostAsync(AlertDelivery delivery, AlertEvent alert, CancellationToken cancellation)
    {
        string? url, secret;
        try
        {
            (url, secret) = await credentialsOf(delivery.WebhookId, cancellation).ConfigureAwait(false);
        }
        catch (InvalidOperationException exception)
        {
            // The URL or secret could not be read: nothing is posted unsigned.
            return exception.Message;
        }

        if ((url ?? delivery.Url) is not { } target || AlertWebhook.IsMasked(target))
        {
            return "the webhook's URL is not stored; set it again in the alert rules";
        }

        return await _poster.PostAsync(target, secret, $"alert.{alert.Type}", delivery.Id, AlertPayloads.Body(alert, delivery.Format, delivery.Id), cancellation)
            .ConfigureAwait(false);
    }
}
