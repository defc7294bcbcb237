using System.Net;
using Skillscope.Assessment.Fusion;
using Skillscope.Assessment.Training;
using Skillscope.Scoring.Registry;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The admin pages of the learning loop: the models page shows the latest retraining run and each rollout, and an
/// admin approves a ready challenger there; the fusion page shows fitted weights, and an admin applies them there.
/// </summary>
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
            await new ModelRegistry(store, new ServerOptions(district.DataDirectory).ModelStoreDirectory).SplitAsync("skill_resilience",
                [new SplitShare(champion, 90), new SplitShare("1.2.0", 10)], "rollout", new SplitGuard(0.02, null));
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

    [Fact]
    public async Task Fitted_fusion_weights_are_shown_with_their_evidence_and_applied_from_the_fusion_page()
    {
        long version = FusionWeights.Parse(await File.ReadAllTextAsync(Path.Combine(district.DataDirectory, "fusion-weights.json")), Skillscope.Assessment.Skills.SkillCatalog.Default).Version;
        FusionProposal proposal;
        using (var store = await StoreFactory.OpenAsync(new ServerOptions(district.DataDirectory)))
        {
            proposal = await store.Assessments.FusionProposals.SaveAsync(new FusionProposal(0, DateTime.UtcNow, "cli:test", version,
            [
                new SkillFit("empathy", 300, SkillWeights.Default, new SkillWeights(0.5, 0.1, 0.3, 0.1), 0.61, 0.66, 0.05, 0.02, 0.08, null),
                new SkillFit("resilience", 300, SkillWeights.Default, SkillWeights.Default, 0.7, 0.7, 0, -0.01, 0.01, "no better on held-out students"),
            ], FusionProposal.Proposed, null, null), new AuditEntry(0, DateTime.UtcNow, "cli:test", "fusion.proposal", "fusion-proposal", null, null));
        }

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = new DashboardSession(served.Address);
        Assert.NotNull(await admin.SignInAsync("admin", district.Password("admin")));
        var (_, page, _) = await admin.GetAsync("/admin/fusion");
        string text = Text(page);
        Assert.Contains("Weights fitted to teachers' ratings", text, StringComparison.Ordinal);
        Assert.Contains("0.50 / 0.10 / 0.30 / 0.10", text, StringComparison.Ordinal);
        Assert.Contains("kept: no better on held-out students", text, StringComparison.Ordinal);
        Assert.Contains($"Apply proposal {proposal.Id} as version {version + 1}", text, StringComparison.Ordinal);

        using (var applied = await admin.PostFieldsAsync("/admin/fusion", [("_handler", "fusion-apply"), ("__RequestVerificationToken", DashboardSession.Token(page)),
            ("proposal", proposal.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))]))
        {
            Assert.Contains($"saved={version + 1}", applied.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using var api2 = served.Client(district.AdminKey);
        using var after = System.Text.Json.JsonDocument.Parse(await api2.GetStringAsync("/api/v1/fusion/weights/empathy"));
        Assert.Equal(0.3, after.RootElement.GetProperty("weights").GetProperty("behavioral").GetDouble());
        Assert.DoesNotContain("Weights fitted to teachers' ratings", Text((await admin.GetAsync("/admin/fusion")).Body), StringComparison.Ordinal);
    }

    /// <summary>A page's text as read: tags removed, entities decoded, runs of white space one space.</summary>
    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")), @"\s+", " ");
}
