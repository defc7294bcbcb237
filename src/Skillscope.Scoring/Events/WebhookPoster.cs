using System.Globalization;
using System.Net.Http.Headers;
using Skillscope.Scoring.Alerts;

namespace Skillscope.Scoring.Events;

/// <summary>
/// Posts one webhook body, for alerts and events alike: JSON, with the event's name and the delivery's id in
/// headers (a receiver drops a delivery it has seen, so a retry after a lost answer is not taken twice), and
/// signed (<see cref="WebhookSignature"/>) when there is a secret. Returns null when the receiver accepted it
/// (2xx), else why not, in words for the delivery log.
/// </summary>
public sealed class WebhookPoster(HttpClient http, TimeProvider? time = null)
{
    public const string EventHeader = "Skillscope-Event";

    public const string DeliveryHeader = "Skillscope-Delivery";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<string?> PostAsync(string url, string? secret, string eventName, long deliveryId, byte[] body, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
            request.Headers.Add(EventHeader, eventName);
            request.Headers.Add(DeliveryHeader, deliveryId.ToString(CultureInfo.InvariantCulture));
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
        catch (Exception exception) when (exception is InvalidOperationException or UriFormatException)
        {
            return $"the URL cannot be posted to: {exception.Message}";
        }
    }
}
