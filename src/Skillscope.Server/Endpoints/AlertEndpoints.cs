using Skillscope.Scoring.Alerts;
using Skillscope.Server.Alerting;
using Skillscope.Server.Http;
using Skillscope.Server.Security;

namespace Skillscope.Server.Endpoints;

/// <summary>
/// <c>GET /api/v1/alerts</c> (current and history) and <c>GET/PUT /api/v1/alerts/rules</c>: the rules are
/// replaced whole, validated (every problem named, nothing changed), versioned and audited.
/// </summary>
internal static class AlertEndpoints
{
    private const int MaxHistory = 1_000;

    public static void Map(IEndpointRouteBuilder app)
    {
        var alerts = app.MapGroup("/api/v1/alerts").RequireAuthorization(Roles.AdminPolicy).WithTags("Monitoring");
        alerts.MapGet("", List)
            .Answers<AlertsResponse>("Alerts firing and pending, the latest events (limit, 100 by default, up to 1000) and the latest webhook deliveries")
            .Refuses(400, "invalid_limit");
        alerts.MapGet("/rules", GetRules).Answers<AlertRulesResponse>("The alert rules in force (the kinds' defaults filled in) and the webhooks they are delivered to");
        alerts.MapPut("/rules", PutRules)
            .Takes<AlertRulesBody>("""{"version": 1, "rules": [{"id": "feature-drift", "kind": "feature_drift", "window": "24h"}, {"id": "error-rate", "kind": "error_rate", "threshold": 0.05, "window": "5m"}], "webhooks": [{"id": "ops", "url": "https://ops.example.org/hooks/skillscope", "format": "json", "secret": "a long random string"}]}""")
            .Answers<AlertRulesResponse>("Replace the rules and webhooks (validated, versioned, audited; a webhook's secret is write-only and kept when not sent)")
            .Refuses(400, "malformed_json", "invalid_request", "invalid_utf8").Refuses(409, "version_conflict").Refuses(422, "invalid_rules");
    }

    private static async Task<IResult> List(HttpContext context, int? limit, IAlertStore store, AlertBoard board)
    {
        if (limit is < 1 or > MaxHistory)
        {
            return Problems.Of(context, 400, "invalid_limit", $"limit must be between 1 and {MaxHistory}, not {limit}");
        }

        var cancellation = context.RequestAborted;
        int take = limit ?? 100;
        var states = await store.StatesAsync(cancellation).ConfigureAwait(false);
        var history = await store.EventsAsync(take, cancellation).ConfigureAwait(false);
        var deliveries = await store.DeliveriesAsync(take, cancellation).ConfigureAwait(false);
        return Results.Json(new AlertsResponse(
            RequestIds.Of(context),
            board.RefreshedAt == DateTime.MinValue ? null : board.RefreshedAt,
            [.. states.Where(s => s.IsFiring).Select(View)],
            [.. states.Where(s => !s.IsFiring).Select(View)],
            history,
            [.. deliveries.Select(d => new AlertDeliveryView(d.Id, d.EventId, d.WebhookId, d.Status, d.Attempts, d.CreatedAt,
                d.Status == AlertDelivery.Pending ? d.NextAttempt : null, d.DeliveredAt, d.LastError))]), JsonDefaults.Options);
    }

    private static AlertView View(AlertState state) =>
        new(state.RuleId, state.Subject, state.IsFiring ? AlertState.Firing : state.Status, state.Since, state.FiredAt, state.Value, state.Threshold, state.UpdatedAt);

    private static async Task<IResult> GetRules(HttpContext context, AlertRulesService rules) =>
        Document(context, await rules.GetAsync(context.RequestAborted).ConfigureAwait(false));

    private static async Task<IResult> PutRules(HttpContext context, AlertRulesService rules)
    {
        var (document, problem) = await RequestBody.ReadJsonAsync(context, maxDepth: 8, requireJsonMediaType: true, requireObject: true).ConfigureAwait(false);
        if (document is null)
        {
            return problem!;
        }

        string json;
        using (document)
        {
            json = document.RootElement.GetRawText();
        }

        var change = await rules.ReplaceAsync(json, Actors.Of(context), context.RequestAborted).ConfigureAwait(false);
        if (change.Rules is { } changed)
        {
            return Document(context, changed);
        }

        return change.Code == "version_conflict"
            ? Problems.Of(context, 409, change.Code, change.Problems[0])
            : Problems.Of(context, 422, change.Code!, $"the rules were not changed: {string.Join("; ", change.Problems)}",
                new Dictionary<string, object?> { ["errors"] = change.Problems });
    }

    private static IResult Document(HttpContext context, AlertRulesView view) =>
        Results.Json(new AlertRulesResponse(RequestIds.Of(context), view.Version, view.Rules, view.Webhooks, view.Kinds), JsonDefaults.Options);
}
