using System.Net;
using Skillscope.Assessment.Training;
using Skillscope.Scoring.Registry;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>The models page shows the latest retraining run and each rollout, and an admin approves a ready challenger there.</summary>
public sealed class AdminRolloutPageTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task A_ready_challenger_is_shown_with_its_evidence_and_promoted_when_an_admin_approves_it()
    {
        district.RegisterVersion("skill_resilience", "1.2.0");
        string champion;
        using (var store = await StoreFactory.OpenAsync(new ServerOptions(district.DataDirectory)))
        {
            champion = (await store.ListAliasesAsync("skill_resilience")).Single(a => a.Alias == ModelRegistry.Production).Version;
            var now = DateTime.UtcNow;
            await store.Rollouts.StartRolloutAsync(new Rollout("skill_resilience", "1.2.0", champion, null, Rollout.AwaitingApproval, now, "served 140 calls over 24 h, 0.00 % failing", now),
                new AuditEntry(0, now, "test", "rollout.awaiting_approval", "skill_resilience@1.2.0", null, null));
            long run = (await store.Assessments.RetrainRuns.StartAsync(null, now, "cli:test"))!.Value;
            await store.Assessments.RetrainRuns.FinishAsync(run, RetrainRun.Refused, null, "too few rated students to retrain", now,
                new AuditEntry(0, now, "cli:test", "retrain.refused", $"retrain:{run}", null, null));
        }

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = new DashboardSession(served.Address);
        Assert.NotNull(await admin.SignInAsync("admin", district.Password("admin")));
        var (status, page, _) = await admin.GetAsync("/admin/models");
        Assert.Equal(HttpStatusCode.OK, status);
        string text = Text(page);
        Assert.Contains("Latest retraining run", text, StringComparison.Ordinal);
        Assert.Contains("too few rated students to retrain", text, StringComparison.Ordinal);
        Assert.Contains($"Rollout of 1.2.0 (champion {champion}): awaiting approval", text, StringComparison.Ordinal);
        Assert.Contains("Approve: promote 1.2.0 to production", text, StringComparison.Ordinal);

        using (var approved = await admin.PostFieldsAsync("/admin/models/skill_resilience/approve", [("__RequestVerificationToken", DashboardSession.Token(page))]))
        {
            Assert.Contains("done=", approved.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        string after = Text((await admin.GetAsync("/admin/models")).Body);
        Assert.Contains("Rollout of 1.2.0 (champion " + champion + "): promoted", after, StringComparison.Ordinal);
        using var store2 = await StoreFactory.OpenAsync(new ServerOptions(district.DataDirectory));
        Assert.Equal("1.2.0", (await store2.ListAliasesAsync("skill_resilience")).Single(a => a.Alias == ModelRegistry.Production).Version);
        Assert.Contains(await store2.ListAuditAsync(50), a => a.Action == "rollout.promoted" && a.Actor.StartsWith("user:", StringComparison.Ordinal));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    /// <summary>A page's text as read: tags removed, entities decoded, runs of white space one space.</summary>
    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")), @"\s+", " ");
}
