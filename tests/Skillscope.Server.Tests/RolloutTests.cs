using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Skillscope.Scoring.Registry;
using Skillscope.Testing;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// A challenger's rollout from outside: in the shadow it scores the champion's traffic; after its shadow hours
/// it serves a guarded canary share; after its canary hours it waits for an admin's approval, and is promoted
/// when approved — each step taken by the server on the evidence its traffic gave, and audited.
/// </summary>
public sealed class RolloutTests
{
    private const string Predict = "/api/v1/models/lead_conversion/predict";

    [Fact]
    public async Task A_challenger_goes_from_shadow_to_canary_to_production_on_its_evidence_with_an_approval()
    {
        var clock = new MovableClock();
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Monitoring:FlushSeconds"] = "0.2",
            ["Training:ShadowHours"] = "1",
            ["Training:MinimumShadowRows"] = "100",
            ["Training:CanaryHours"] = "1",
            ["Training:CanaryPercent"] = "20",
            ["Training:MinimumCanaryCalls"] = "5",
            ["Training:RolloutCheckSeconds"] = "0.2",
        }, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        using var admin = server.Client(server.AdminKey);
        using var service = server.Client(server.ServiceKey);
        var now = clock.GetUtcNow().UtcDateTime;
        await server.Service<IRolloutStore>().StartRolloutAsync(new Rollout("lead_conversion", "2.0.0", "1.0.0", null, Rollout.Shadow, now, "better on held-out rows", now),
            new AuditEntry(0, now, "test", "rollout.shadow", "lead_conversion@2.0.0", "1.0.0", "better on held-out rows"));
        await server.Registry.ShadowAsync("lead_conversion", "2.0.0", 100, null, "test");
        await server.Host.RefreshAsync(); // as every replica does within its next look at the registry
        await AssertProblem(await admin.PostAsync("/api/v1/retrain/rollouts/lead_conversion/approve", null), 409, "not_awaiting_approval");

        // In the shadow: not enough time yet, whatever the rows.
        await ScoreAsync(service, 300, "a");
        await Task.Delay(1500);
        Assert.Equal(Rollout.Shadow, (await StageAsync(admin)).Stage);

        clock.Advance(TimeSpan.FromMinutes(61));
        var canary = await UntilAsync(admin, Rollout.Canary);
        Assert.Contains("shadowed 300 rows", canary.Reason, StringComparison.Ordinal);
        // The stage is written first, then its actions are taken.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await server.Store.ListSplitsAsync()).Any(s => s.Name == "lead_conversion") && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        var split = Assert.Single(await server.Store.ListSplitsAsync(), s => s.Name == "lead_conversion");
        Assert.Equal([("1.0.0", 80), ("2.0.0", 20)], split.Shares.Select(s => (s.Version, s.Percent)));
        Assert.NotNull(split.Guard);
        Assert.Empty(await server.Store.ListShadowsAsync());

        await server.Host.RefreshAsync();
        for (int call = 0; call < 10; call++)
        {
            await ScoreAsync(service, 100, $"c{call}");
        }

        await Task.Delay(1500);
        Assert.Equal(Rollout.Canary, (await StageAsync(admin)).Stage);
        clock.Advance(TimeSpan.FromMinutes(61));
        var ready = await UntilAsync(admin, Rollout.AwaitingApproval);
        Assert.Contains("awaiting an admin's approval", ready.Reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", (await server.Store.ListAliasesAsync("lead_conversion")).Single(a => a.Alias == ModelRegistry.Production).Version);

        using (var approved = await admin.PostAsync("/api/v1/retrain/rollouts/lead_conversion/approve", null))
        {
            Assert.True(approved.StatusCode == HttpStatusCode.OK, await approved.Content.ReadAsStringAsync());
        }

        Assert.Equal(Rollout.Promoted, (await StageAsync(admin)).Stage);
        Assert.Equal("2.0.0", (await server.Store.ListAliasesAsync("lead_conversion")).Single(a => a.Alias == ModelRegistry.Production).Version);
        Assert.DoesNotContain(await server.Store.ListSplitsAsync(), s => s.Name == "lead_conversion");
        await AssertProblem(await admin.PostAsync("/api/v1/retrain/rollouts/lead_conversion/approve", null), 409, "not_awaiting_approval");
        var actions = (await server.Store.ListAuditAsync(200)).Select(a => a.Action).ToList();
        foreach (string step in new[] { "rollout.canary", "rollout.awaiting_approval", "rollout.promoted", "split.set", "split.clear", "shadow.clear" })
        {
            Assert.Contains(step, actions);
        }
    }

    [Fact]
    public async Task An_approval_is_refused_when_the_canary_was_set_back_meanwhile_and_the_rollout_says_why()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Training:RolloutCheckSeconds"] = "3600" });
        using var admin = server.Client(server.AdminKey);
        var now = DateTime.UtcNow;
        await server.Service<IRolloutStore>().StartRolloutAsync(new Rollout("lead_conversion", "2.0.0", "1.0.0", null, Rollout.AwaitingApproval, now, "ready", now),
            new AuditEntry(0, now, "test", "rollout.awaiting_approval", "lead_conversion@2.0.0", null, null));

        // No canary split any more (its guard set it back): approving would promote a version the evidence went against.
        await AssertProblem(await admin.PostAsync("/api/v1/retrain/rollouts/lead_conversion/approve", null), 409, "not_awaiting_approval");
        var (stage, reason) = await StageAsync(admin);
        Assert.Equal(Rollout.Stopped, stage);
        Assert.Contains("set back", reason, StringComparison.Ordinal);
        Assert.Equal("1.0.0", (await server.Store.ListAliasesAsync("lead_conversion")).Single(a => a.Alias == ModelRegistry.Production).Version);
    }

    private static async Task ScoreAsync(HttpClient client, int rows, string prefix)
    {
        var random = new Random(prefix.GetHashCode(StringComparison.Ordinal) & 0xffff);
        var body = new StringBuilder("{\"rows\": [");
        body.AppendJoin(",", Enumerable.Range(0, rows).Select(_ => "[" + string.Join(",", Enumerable.Range(0, 3).Select(_ => (random.NextDouble() * 10).ToString("R", CultureInfo.InvariantCulture))) + "]"));
        body.Append("], \"entity_ids\": [").AppendJoin(",", Enumerable.Range(0, rows).Select(i => $"\"{prefix}-{i}\"")).Append("]}");
        using var response = await client.PostAsync(Predict, RunningServer.Json(body.ToString()));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<(string Stage, string Reason)> StageAsync(HttpClient admin)
    {
        using var rollouts = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/retrain/rollouts"));
        var rollout = Assert.Single(rollouts.RootElement.GetProperty("rollouts").EnumerateArray());
        return (rollout.GetProperty("stage").GetString()!, rollout.GetProperty("reason").GetString()!);
    }

    private static async Task<(string Stage, string Reason)> UntilAsync(HttpClient admin, string stage)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await StageAsync(admin);
            if (found.Stage == stage)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"still {found.Stage} ({found.Reason}) after 30 s, waiting for {stage}");
            await Task.Delay(200);
        }
    }
}
