using Skillscope.Scoring.Alerts;
using Skillscope.Scoring.Registry;
using Xunit;

namespace Skillscope.Storage.Tests;

/// <summary>
/// Alert state as replicas share it: one claim per evaluation interval, a change written only over the
/// revision read (so two replicas never fire the same alert twice), its event and deliveries in the same
/// transaction, and deliveries handed out oldest first per webhook.
/// </summary>
public sealed class AlertStoreTests
{
    private static readonly DateTime Nine = new(2026, 12, 7, 9, 0, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Two_replicas_fire_an_alert_once_and_deliveries_go_out_in_order_per_webhook(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var alerts = stores.Store.Alerts;

        // One replica claims an interval; the other finds it taken until it is due again.
        Assert.True(await alerts.ClaimEvaluationAsync(Nine, Nine.AddSeconds(54)));
        Assert.False(await alerts.ClaimEvaluationAsync(Nine.AddSeconds(1), Nine.AddSeconds(55)));
        Assert.True(await alerts.ClaimEvaluationAsync(Nine.AddMinutes(1), Nine.AddSeconds(114)));

        var rule = new AlertRule("drift", AlertKinds.FeatureDrift, Window: "1h").Resolved();
        var measured = new AlertMeasurement("lead@1.0.0/age", 0.4, 0.2, 0.1, 5_000);
        var (firing, fired) = AlertTransitions.Next(rule, null, measured, Nine);
        AlertWebhook[] webhooks = [new("ops", "http://127.0.0.1:9/hook"), new("chat", "http://127.0.0.1:9/chat", AlertWebhook.Slack)];

        // Both replicas read "no state" and try to fire: one wins, with one event and a delivery per webhook.
        var first = await alerts.ApplyAsync(null, firing, fired, webhooks);
        var second = await alerts.ApplyAsync(null, firing, fired, webhooks);
        Assert.True(first.Written);
        Assert.False(second.Written);
        Assert.True(first.Event!.Id > 0);
        var stored = Assert.Single(await alerts.StatesAsync());
        Assert.Equal((AlertState.Firing, 0.4, Nine), (stored.Status, stored.Value, stored.FiredAt));

        // An update over a stale revision is refused; over the one read, it is written.
        var (updated, _) = AlertTransitions.Next(rule, stored, measured with { Value = 0.35 }, Nine.AddMinutes(1));
        Assert.True((await alerts.ApplyAsync(stored, updated, null, webhooks)).Written);
        Assert.False((await alerts.ApplyAsync(stored, updated, null, webhooks)).Written);

        // It resolves: a second event, delivered after the first on each webhook.
        var current = Assert.Single(await alerts.StatesAsync());
        var (gone, resolved) = AlertTransitions.Next(rule with { ClearMinutes = 0 }, current, measured with { Value = 0.01 }, Nine.AddMinutes(2));
        Assert.Null(gone);
        var resolvedEvent = (await alerts.ApplyAsync(current, null, resolved, webhooks)).Event!;
        Assert.Empty(await alerts.StatesAsync());
        Assert.Equal([resolvedEvent.Id, first.Event.Id], (await alerts.EventsAsync(10)).Select(e => e.Id));

        var due = await alerts.DueDeliveriesAsync(Nine.AddMinutes(3));
        Assert.Equal(2, due.Count);
        Assert.All(due, d => Assert.Equal(first.Event.Id, d.Event.Id));
        var ops = due.Single(d => d.Delivery.WebhookId == "ops").Delivery;

        // Claimed by one replica only; while it is out, the webhook's later delivery waits behind it.
        Assert.True(await alerts.ClaimDeliveryAsync(ops, Nine.AddMinutes(5)));
        Assert.False(await alerts.ClaimDeliveryAsync(ops, Nine.AddMinutes(5)));
        Assert.Equal(["chat"], (await alerts.DueDeliveriesAsync(Nine.AddMinutes(3))).Select(d => d.Delivery.WebhookId));

        // A failed attempt is recorded and tried again later; once delivered, the next event's delivery is due.
        await alerts.RecordAttemptAsync(ops.Id, 1, AlertDelivery.Pending, null, Nine.AddMinutes(4), "the receiver answered 503");
        Assert.DoesNotContain(await alerts.DueDeliveriesAsync(Nine.AddMinutes(3)), d => d.Delivery.WebhookId == "ops");
        var retry = (await alerts.DueDeliveriesAsync(Nine.AddMinutes(4))).Single(d => d.Delivery.WebhookId == "ops").Delivery;
        Assert.Equal((1, "the receiver answered 503"), (retry.Attempts, retry.LastError));
        Assert.True(await alerts.ClaimDeliveryAsync(retry, Nine.AddMinutes(6)));
        // A replica whose lease ran out reports its first attempt late: it changes nothing.
        await alerts.RecordAttemptAsync(retry.Id, 1, AlertDelivery.Failed, null, Nine.AddMinutes(4), "late");
        await alerts.RecordAttemptAsync(retry.Id, 2, AlertDelivery.Delivered, Nine.AddMinutes(4), Nine.AddMinutes(4), null);
        var next = (await alerts.DueDeliveriesAsync(Nine.AddMinutes(4))).Single(d => d.Delivery.WebhookId == "ops");
        Assert.Equal(resolvedEvent.Id, next.Event.Id);
        var log = await alerts.DeliveriesAsync(10);
        Assert.Equal(4, log.Count);
        var delivered = log.Single(d => d.Id == retry.Id);
        Assert.Equal((AlertDelivery.Delivered, 2, "the receiver answered 503"), (delivered.Status, delivered.Attempts, delivered.LastError));
    }

    [Theory]
    [InlineData("sqlite")]
    [PostgresData]
    public async Task Rules_are_versioned_with_their_audit_entry_and_secrets_kept_apart(string kind)
    {
        await using var stores = await TestStores.CreateAsync(kind);
        var alerts = stores.Store.Alerts;
        Assert.Null(await alerts.LatestRulesAsync());
        var audit = new AuditEntry(0, Nine, "user:ada", "alerts.rules", "alert rules v1", null, "{}");
        AlertWebhook[] ops = [new("ops", "https://ops.example.org/hooks/T01/B02/secret-token")];
        static WebhookCredentials Protected(string url, string secret) =>
            new(new Dictionary<string, string> { ["ops"] = url }, new Dictionary<string, string> { ["ops"] = secret });
        Assert.True(await alerts.SaveRulesAsync(1, "{\"rules\":[],\"webhooks\":[]}", ops, Protected("protected-url-1", "protected-1"), audit));
        Assert.False(await alerts.SaveRulesAsync(1, "{}", ops, Protected("protected-url-2", "protected-2"), audit));
        var stored = await alerts.WebhookCredentialsAsync();
        Assert.Equal(("protected-url-1", "protected-1"), (stored.Urls["ops"], stored.Secrets["ops"]));

        // A delivery keeps the URL masked; a pending one follows its webhook to a new form; once the webhook is removed it fails, and its URL and secret go.
        var (_, fired) = await alerts.ApplyAsync(null, null, new AlertEvent(0, "r", AlertKinds.ErrorRate, "api", AlertEvent.Fired, Nine, 0.1, 0.05, "m"), ops);
        Assert.Equal("https://ops.example.org/…oken", Assert.Single(await alerts.DeliveriesAsync(10)).Url);
        Assert.True(await alerts.SaveRulesAsync(2, "{}", [new("ops", "https://ops.example.org/new-hook", AlertWebhook.Slack)], WebhookCredentials.None, audit with { Subject = "alert rules v2" }));
        var moved = Assert.Single(await alerts.DeliveriesAsync(10));
        Assert.Equal(("https://ops.example.org/…", AlertWebhook.Slack, AlertDelivery.Pending), (moved.Url, moved.Format, moved.Status));
        Assert.Equal("protected-url-1", (await alerts.WebhookCredentialsAsync()).Urls["ops"]);
        Assert.True(await alerts.SaveRulesAsync(3, "{\"rules\":[],\"webhooks\":[]}", [], WebhookCredentials.None, audit with { Subject = "alert rules v3" }));
        Assert.Equal(3, (await alerts.LatestRulesAsync())!.Value.Version);
        stored = await alerts.WebhookCredentialsAsync();
        Assert.Empty(stored.Urls);
        Assert.Empty(stored.Secrets);
        var gone = Assert.Single(await alerts.DeliveriesAsync(10));
        Assert.Equal((fired!.Id, AlertDelivery.Failed), (gone.EventId, gone.Status));
        Assert.Equal(3, (await stores.Store.ListAuditAsync()).Count(a => a.Action == "alerts.rules"));
    }

    [Fact]
    public async Task Delivery_urls_stored_in_the_clear_before_are_masked_once()
    {
        await using var stores = await TestStores.CreateAsync("sqlite");
        var alerts = stores.Store.Alerts;
        AlertWebhook[] ops = [new("ops", "https://ops.example.org/hooks/T01/B02/secret-token")];
        await alerts.ApplyAsync(null, null, new AlertEvent(0, "r", AlertKinds.ErrorRate, "api", AlertEvent.Fired, Nine, 0.1, 0.05, "m"), ops);

        // As a delivery stored before URLs were kept apart held it.
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(stores.Directory, "skillscope.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "UPDATE alert_deliveries SET url = 'https://ops.example.org/hooks/T01/B02/secret-token'";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await alerts.MaskDeliveryUrlsAsync());
        Assert.Equal("https://ops.example.org/…oken", Assert.Single(await alerts.DeliveriesAsync(10)).Url);
        Assert.Equal(0, await alerts.MaskDeliveryUrlsAsync());
    }
}
