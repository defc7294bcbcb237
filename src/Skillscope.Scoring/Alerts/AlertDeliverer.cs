using System.Net.Http.Headers;

namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Posts stored deliveries to their webhooks, oldest first per webhook: a delivery is claimed in the
/// database (so one replica posts it), signed when the webhook has a secret, and on failure tried again
/// after a growing pause (by default 10 s, 30 s, 90 s, … up to an hour) until <see cref="GiveUpAfter"/>. It runs apart
/// from scoring: a receiver that is down or slow delays nothing but its own deliveries.
/// </summary>
/// <param name="store">Where deliveries are kept.</param>
/// <param name="http">The client deliveries are posted with (its timeout bounds a slow receiver).</param>
/// <param name="credentialsOf">A webhook's URL and signing secret by id, unprotected (either null when it has none; throws <see cref="InvalidOperationException"/> when they cannot be read).</param>
/// <param name="time">The clock.</param>
/// <param name="firstRetry">The pause after the first failed attempt (10 s unless configured); each later pause is three times the one before, up to an hour.</param>
public sealed class AlertDeliverer(IAlertStore store, HttpClient http, Func<string, CancellationToken, Task<(string? Url, string? Secret)>> credentialsOf, TimeProvider? time = null,
    TimeSpan? firstRetry = null)
{
    /// <summary>The pause after the first failed attempt, unless configured otherwise.</summary>
    public static readonly TimeSpan DefaultFirstRetry = TimeSpan.FromSeconds(10);

    private readonly TimeSpan _firstRetry = firstRetry ?? DefaultFirstRetry;

    /// <summary>How long a delivery is tried before it is marked failed (it stays in the delivery log).</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromDays(3);

    /// <summary>How long a claimed delivery is held before another replica may try it (the claimant died mid-post).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    public const string EventHeader = "Skillscope-Event";

    public const string DeliveryHeader = "Skillscope-Delivery";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The pause after the <paramref name="attempts"/>th failed attempt.</summary>
    public TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(3600, _firstRetry.TotalSeconds * Math.Pow(3, Math.Min(20, Math.Max(0, attempts - 1)))));

    /// <summary>Posts every delivery due now (one per webhook); returns how many were accepted.</summary>
    public async Task<int> DeliverDueAsync(CancellationToken cancellation = default)
    {
        int accepted = 0;
        var now = _time.GetUtcNow().UtcDateTime;
        foreach (var (delivery, alert) in await store.DueDeliveriesAsync(now, cancellation).ConfigureAwait(false))
        {
            if (!await store.ClaimDeliveryAsync(delivery, now + Lease, cancellation).ConfigureAwait(false))
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
                bool giveUp = after - delivery.CreatedAt >= GiveUpAfter;
                await store.RecordAttemptAsync(delivery.Id, delivery.Attempts + 1, giveUp ? AlertDelivery.Failed : AlertDelivery.Pending, null,
                    after + Backoff(delivery.Attempts + 1), error, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return accepted;
    }

    /// <summary>Posts one delivery: null when the receiver accepted it (2xx), else why not.</summary>
    private async Task<string?> PostAsync(AlertDelivery delivery, AlertEvent alert, CancellationToken cancellation)
    {
        try
        {
            var (url, secret) = await credentialsOf(delivery.WebhookId, cancellation).ConfigureAwait(false);
            if ((url ?? delivery.Url) is not { } target || AlertWebhook.IsMasked(target))
            {
                return "the webhook's URL is not stored; set it again in the alert rules";
            }

            var body = AlertPayloads.Body(alert, delivery.Format, delivery.Id);
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(EventHeader, $"alert.{alert.Type}");
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (secret is not null)
            {
                request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(secret, _time.GetUtcNow().ToUnixTimeSeconds(), body));
            }

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellation).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"the receiver answered {(int)response.StatusCode} {response.ReasonPhrase}";
        }
        catch (HttpRequestException exception)
        {
            return $"the receiver could not be reached: {exception.Message}";
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return "the receiver did not answer in time";
        }
        catch (InvalidOperationException exception)
        {
            // The URL or secret could not be read: nothing is posted unsigned.
            return exception.Message;
        }
    }
}
