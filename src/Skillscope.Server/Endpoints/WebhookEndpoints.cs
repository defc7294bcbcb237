using System.Security.Claims;
using System.Text.Json;
using Skillscope.Server.Eventing;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>/api/v1/webhooks</c>: event subscriptions per district (assessment.completed, job.completed,
/// model.promoted; alert.firing and alert.resolved for the installation), their delivery log, and the replay
/// of a delivery. A district's admin manages that district's only; a subscription of another is not found.
/// </summary>
internal static class WebhookEndpoints
{
    private const int MaxDeliveries = 1_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var hooks = app.MapGroup("/api/v1/webhooks").RequireAuthorization(Roles.WebhooksPolicy).WithTags("Events");
        hooks.MapGet("", List).Answers<WebhookListResponse>("The event subscriptions this key may see (a district's admin: that district's), URLs masked");
        hooks.MapPost("", Create)
            .Takes<WebhookBody>("""{"url": "https://sis.example.org/hooks/skillscope", "events": ["assessment.completed", "model.promoted"], "district_id": "d-001"}""")
            .Answers<WebhookCreatedResponse>("Subscribe a receiver to events: signed JSON, retried with backoff, in order (the secret, when made here, is shown once)", 201)
            .Refuses(400, "unknown_field", "invalid_field", "invalid_url", "no_events", "unknown_event", "invalid_secret")
            .Refuses(403, "district_mismatch").Refuses(409, "too_many_subscriptions").Refuses(422, "invalid_url", "unknown_district", "installation_event");
        hooks.MapDelete("/{id}", Remove).WithSummary("Remove a subscription with its delivery log: pending deliveries are not posted").Produces(204)
            .Refuses(404, "webhook_not_found");
        hooks.MapGet("/{id}/deliveries", Deliveries)
            .Answers<WebhookDeliveriesResponse>("A subscription's latest deliveries (limit, 100 by default, up to 1000), newest first, with their outcome")
            .Refuses(400, "invalid_limit").Refuses(404, "webhook_not_found");
        hooks.MapPost("/{id}/deliveries/{deliveryId:long}/replay", Replay)
            .Answers<WebhookReplayResponse>("Send a failed (or delivered) delivery again, with the same id: pending from now, retried as a new one", 202)
            .Refuses(404, "webhook_not_found", "delivery_not_found").Refuses(409, "delivery_pending");
    }

    private static string? DistrictOf(HttpContext context) => context.User.FindFirstValue(ScopeClaims.District);

    private static async Task<IResult> List(HttpContext context, EventSubscriptions subscriptions)
    {
        var all = await subscriptions.ListAsync(DistrictOf(context), context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new WebhookListResponse(RequestIds.Of(context), [.. all.Select(WebhookView.Of)], Scoring.Events.EventTypes.All), JsonDefaults.Options);
    }

    private static async Task<IResult> Create(HttpContext context, EventSubscriptions subscriptions)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 4, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        string? url = null, district = null, secret = null;
        List<string>? events = null;
        using (document)
        {
            foreach (var field in document.RootElement.EnumerateObject())
            {
                switch (field.Name)
                {
                    case "url" or "district_id" or "secret":
                        if (field.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                        {
                            return Problems.Of(context, 400, "invalid_field", $"\"{field.Name}\" must be a string");
                        }

                        string? text = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                        if (field.Name == "url")
                        {
                            url = text;
                        }
                        else if (field.Name == "district_id")
                        {
                            district = text;
                        }
                        else
                        {
                            secret = text;
                        }

                        break;
                    case "events":
                        if (field.Value.ValueKind != JsonValueKind.Array || field.Value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                        {
                            return Problems.Of(context, 400, "invalid_field", "\"events\" must be an array of event names");
                        }

                        events = [.. field.Value.EnumerateArray().Select(e => e.GetString()!)];
                        break;
                    default:
                        return Problems.Of(context, 400, "unknown_field", $"\"{field.Name}\" is not a field of a subscription (url, events, district_id, secret)");
                }
            }
        }

        var change = await subscriptions.CreateAsync(DistrictOf(context), new SubscriptionRequest(url, events, district, secret), Actors.Of(context), context.RequestAborted)
            .ConfigureAwait(false);
        if (change.Problem is { } refused)
        {
            return Problems.Of(context, refused.Status, refused.Code, refused.Detail);
        }

        return Results.Json(new WebhookCreatedResponse(RequestIds.Of(context), WebhookView.Of(change.Subscription!), change.GeneratedSecret, change.GeneratedSecret is not null),
            JsonDefaults.Options, statusCode: 201);
    }

    private static async Task<IResult> Remove(HttpContext context, string id, EventSubscriptions subscriptions) =>
        await subscriptions.RemoveAsync(DistrictOf(context), id, Actors.Of(context), context.RequestAborted).ConfigureAwait(false)
            ? Results.NoContent()
            : NotFound(context, id);

    private static async Task<IResult> Deliveries(HttpContext context, string id, int? limit, EventSubscriptions subscriptions)
    {
        if (limit is < 1 or > MaxDeliveries)
        {
            return Problems.Of(context, 400, "invalid_limit", $"limit must be between 1 and {MaxDeliveries}, not {limit}");
        }

        if (await subscriptions.FindAsync(DistrictOf(context), id, context.RequestAborted).ConfigureAwait(false) is null)
        {
            return NotFound(context, id);
        }

        var deliveries = await subscriptions.DeliveriesAsync(id, limit ?? 100, context.RequestAborted).ConfigureAwait(false);
        return Results.Json(new WebhookDeliveriesResponse(RequestIds.Of(context), id, [.. deliveries.Select(WebhookDeliveryView.Of)]), JsonDefaults.Options);
    }

    private static async Task<IResult> Replay(HttpContext context, string id, long deliveryId, EventSubscriptions subscriptions)
    {
        var cancellation = context.RequestAborted;
        if (await subscriptions.FindAsync(DistrictOf(context), id, cancellation).ConfigureAwait(false) is null)
        {
            return NotFound(context, id);
        }

        if (await subscriptions.ReplayAsync(id, deliveryId, Actors.Of(context), cancellation).ConfigureAwait(false))
        {
            return Results.Json(new WebhookReplayResponse(RequestIds.Of(context), id, deliveryId, Scoring.Alerts.AlertDelivery.Pending), JsonDefaults.Options, statusCode: 202);
        }

        // Not replayed: either there is no such delivery, or it is still pending (it will be posted anyway).
        var recent = await subscriptions.DeliveriesAsync(id, MaxDeliveries, cancellation).ConfigureAwait(false);
        return recent.Any(d => d.Id == deliveryId)
            ? Problems.Of(context, 409, "delivery_pending", $"delivery {deliveryId} is still pending: it is posted when due, and need not be replayed")
            : Problems.Of(context, 404, "delivery_not_found", $"webhook \"{id}\" has no delivery {deliveryId}");
    }

    private static IResult NotFound(HttpContext context, string id) => Problems.Of(context, 404, "webhook_not_found", $"no event subscription \"{id}\" is visible to this key");
}
