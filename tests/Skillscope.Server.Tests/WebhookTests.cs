using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Skillscope.Scoring.Alerts;
using Skillscope.Server.Security;
using Skillscope.Testing;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// Event subscriptions from outside: made, refused and scoped through the API; events posted over real HTTP to a
/// receiver that is down at first, then delivered in order, once each, signed; a delivery replayed.
/// </summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task Events_reach_a_receiver_that_was_down_in_order_once_each_signed_and_replay_on_request()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Events:AllowLocalReceivers"] = "true",
            ["Events:DeliverySeconds"] = "0.2",
            ["Events:RetrySeconds"] = "0.2",
        });
        using var admin = server.Client(server.AdminKey);
        using var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url.ToString(), events = new[] { "model.promoted" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var body = JsonDocument.Parse(await created.Content.ReadAsStringAsync());
        string id = body.RootElement.GetProperty("webhook").GetProperty("id").GetString()!;
        string secret = body.RootElement.GetProperty("secret").GetString()!;
        Assert.Equal(64, secret.Length);
        Assert.DoesNotContain(receiver.Token, body.RootElement.GetRawText(), StringComparison.Ordinal);

        // Down: every attempt refused while three promotions happen; each stays pending, in order.
        receiver.FailNext(int.MaxValue);
        await server.Registry.PromoteAsync("lead_conversion", "2.0.0", "test");
        await server.Registry.RollbackAsync("lead_conversion", "test");
        await server.Registry.PromoteAsync("lead_conversion", "2.0.0", "test");
        await Until(() => receiver.Refused >= 3, "three refused attempts");
        Assert.Empty(receiver.Accepted);

        receiver.FailNext(0);
        await Until(() => receiver.Accepted.Count >= 3, "three deliveries after the receiver came back");
        await Task.Delay(1000);
        var received = receiver.Accepted.ToArray();
        Assert.Equal(3, received.Length);
        var ids = received.Select(r => long.Parse(r.Headers["Skillscope-Delivery"], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(3, ids.Distinct().Count());
        var versions = received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("version").GetString()!).ToArray();
        Assert.Equal(["2.0.0", "1.0.0", "2.0.0"], versions);
        Assert.All(received, r =>
        {
            Assert.Equal("model.promoted", r.Headers["Skillscope-Event"]);
            Assert.True(WebhookSignature.Verify(secret, r.Headers[WebhookSignature.Header], Encoding.UTF8.GetBytes(r.Body)));
            using var json = JsonDocument.Parse(r.Body);
            Assert.Equal(long.Parse(r.Headers["Skillscope-Delivery"], System.Globalization.CultureInfo.InvariantCulture), json.RootElement.GetProperty("id").GetInt64());
            Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("district_id").ValueKind);
        });

        // The log: delivered, the first after several attempts.
        using (var log = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/webhooks/{id}/deliveries")))
        {
            var deliveries = log.RootElement.GetProperty("deliveries").EnumerateArray().ToArray();
            Assert.Equal(3, deliveries.Length);
            Assert.All(deliveries, d => Assert.Equal("delivered", d.GetProperty("status").GetString()));
            Assert.True(deliveries[^1].GetProperty("attempts").GetInt32() > 1);
            Assert.Contains("503", deliveries[^1].GetProperty("last_error").GetString(), StringComparison.Ordinal);
        }

        // Replay: the same delivery again, under its id, once.
        using (var replay = await admin.PostAsync($"/api/v1/webhooks/{id}/deliveries/{ids[0]}/replay", null))
        {
            Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        }

        await Until(() => receiver.Accepted.Count >= 4, "the replayed delivery");
        Assert.Equal(ids[0], long.Parse(receiver.Accepted.Last().Headers["Skillscope-Delivery"], System.Globalization.CultureInfo.InvariantCulture));
        await AssertProblem(await admin.PostAsync($"/api/v1/webhooks/{id}/deliveries/999999/replay", null), 404, "delivery_not_found");
        await AssertProblem(await admin.PostAsync("/api/v1/webhooks/sub_nothing/deliveries/1/replay", null), 404, "webhook_not_found");
        await Task.Delay(1000);
        Assert.Equal(4, receiver.Accepted.Count);
        var audit = await server.Store.ListAuditAsync(100);
        Assert.Contains(audit, a => a.Action == "webhook.subscribe" && a.Subject == $"webhook:{id}");
        Assert.Contains(audit, a => a.Action == "webhook.replay" && a.Subject == $"webhook:{id}");
        Assert.DoesNotContain(audit, a => (a.After ?? "").Contains(receiver.Token, StringComparison.Ordinal) || (a.After ?? "").Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Subscriptions_are_checked_and_a_district_admin_reaches_only_that_district()
    {
        await using var server = await RunningServer.StartAsync();
        var (_, districtKey) = await ApiKeys.CreateAsync(server.Store, Roles.Admin, "district-admin", "test", districtId: "d1");
        using var admin = server.Client(server.AdminKey);
        using var district = server.Client(districtKey);
        using var service = server.Client(server.ServiceKey);

        async Task Refused(HttpClient client, object request, int status, string code) =>
            await AssertProblem(await client.PostAsJsonAsync("/api/v1/webhooks", request), status, code);

        string[] assessments = ["assessment.completed"];
        await Refused(admin, new { url = "ftp://files.example.org/drop", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://127.0.0.1:9/hook", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://localhost/hook", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://[::1]/hook", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://user:pw@192.0.2.10/hook", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://169.254.169.254/latest/meta-data", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://10.1.2.3/hook", events = assessments }, 422, "invalid_url");
        await Refused(admin, new { url = "http://[fd00::1]/hook", events = assessments }, 422, "invalid_url");
        await Refused(district, new { url = "http://192.0.2.11/hook", events = new[] { "job.completed" } }, 422, "installation_event");
        await Refused(admin, new { events = assessments }, 400, "invalid_url");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = new[] { "assessment.done" } }, 400, "unknown_event");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = Array.Empty<string>() }, 400, "no_events");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = assessments, secret = "short" }, 400, "invalid_secret");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = assessments, format = "slack" }, 400, "unknown_field");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = "assessment.completed" }, 400, "invalid_field");
        await Refused(admin, new { url = "http://192.0.2.10/hook", events = assessments, district_id = "nowhere" }, 422, "unknown_district");
        await Refused(district, new { url = "http://192.0.2.11/hook", events = new[] { "alert.firing" } }, 422, "installation_event");
        await Refused(district, new { url = "http://192.0.2.11/hook", events = assessments, district_id = "d2" }, 403, "district_mismatch");
        using (var notAdmin = await service.PostAsJsonAsync("/api/v1/webhooks", new { url = "http://192.0.2.10/hook", events = assessments }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, notAdmin.StatusCode);
        }

        Assert.Empty(await server.Service<Skillscope.Scoring.Events.IEventStore>().SubscriptionsAsync());

        string secret = "a-receiver-chosen-secret-of-enough-length";
        var installation = await CreatedId(admin, new { url = "http://192.0.2.10/hooks/skillscope-installation-token", events = new[] { "alert.firing", "job.completed" }, secret });
        var ours = await CreatedId(district, new { url = "http://192.0.2.11/hook", events = assessments });
        using (var list = JsonDocument.Parse(await district.GetStringAsync("/api/v1/webhooks")))
        {
            var only = Assert.Single(list.RootElement.GetProperty("webhooks").EnumerateArray());
            Assert.Equal((ours, "d1"), (only.GetProperty("id").GetString(), only.GetProperty("district_id").GetString()));
        }

        string all = await admin.GetStringAsync("/api/v1/webhooks");
        Assert.Contains(installation, all, StringComparison.Ordinal);
        Assert.Contains(ours, all, StringComparison.Ordinal);
        Assert.DoesNotContain("installation-token", all, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, all, StringComparison.Ordinal);
        await AssertProblem(await district.DeleteAsync($"/api/v1/webhooks/{installation}"), 404, "webhook_not_found");
        await AssertProblem(await district.GetAsync($"/api/v1/webhooks/{installation}/deliveries"), 404, "webhook_not_found");
        await AssertProblem(await admin.GetAsync($"/api/v1/webhooks/{ours}/deliveries?limit=0"), 400, "invalid_limit");
        using (var removed = await admin.DeleteAsync($"/api/v1/webhooks/{ours}"))
        {
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        }

        Assert.Equal([installation], (await server.Service<Skillscope.Scoring.Events.IEventStore>().SubscriptionsAsync()).Select(s => s.Id));
        var audit = await server.Store.ListAuditAsync(100);
        Assert.Equal(2, audit.Count(a => a.Action == "webhook.subscribe"));
        Assert.Contains(audit, a => a.Action == "webhook.unsubscribe" && a.Subject == $"webhook:{ours}");
    }

    private static async Task<string> CreatedId(HttpClient client, object request)
    {
        using var response = await client.PostAsJsonAsync("/api/v1/webhooks", request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, text);
        using var json = JsonDocument.Parse(text);
        return json.RootElement.GetProperty("webhook").GetProperty("id").GetString()!;
    }

    private static async Task Until(Func<bool> done, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!done())
        {
            Assert.True(DateTime.UtcNow < deadline, $"waited 60 s for {what}");
            await Task.Delay(100);
        }
    }
}
