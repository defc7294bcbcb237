using System.Net;
using System.Text.Json;
using Skillscope.Assessment.Fusion;
using Skillscope.Scoring.Registry;
using Skillscope.Server.Security;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>Fitted fusion weights reach the weights in force only when an admin applies them, over the version they were fitted on, audited.</summary>
public sealed class FusionProposalApiTests
{
    private const string Proposals = "/api/v1/fusion/proposals";

    [Fact]
    public async Task A_proposal_is_listed_applied_once_by_an_admin_and_refused_over_newer_weights()
    {
        await using var server = await RunningServer.StartAsync();
        var proposals = server.Service<IFusionProposalStore>();
        var fitted = new SkillWeights(0.45, 0.1, 0.35, 0.1);
        var first = await proposals.SaveAsync(Proposal(1, fitted), Audit());
        var stale = await proposals.SaveAsync(Proposal(1, new SkillWeights(0.5, 0.1, 0.3, 0.1)), Audit());
        var (_, districtKey) = await ApiKeys.CreateAsync(server.Store, Roles.Admin, "district-admin", "test", districtId: "d1");
        using var admin = server.Client(server.AdminKey);
        using var district = server.Client(districtKey);

        using (var list = JsonDocument.Parse(await admin.GetStringAsync(Proposals)))
        {
            var shown = list.RootElement.GetProperty("proposals").EnumerateArray().ToArray();
            Assert.Equal([stale.Id, first.Id], shown.Select(p => p.GetProperty("id").GetInt64()));
            var skills = shown[1].GetProperty("skills").EnumerateArray().ToArray();
            Assert.Equal(0.35, skills[0].GetProperty("proposed").GetProperty("behavioral").GetDouble());
            Assert.False(skills[1].TryGetProperty("proposed", out _)); // null members are left out of answers
            Assert.False(skills[1].TryGetProperty("cv_r_current", out _));
            Assert.Equal(0.61, skills[0].GetProperty("cv_r_current").GetDouble());
            Assert.Contains("needed", skills[1].GetProperty("kept").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.Forbidden, (await district.PostAsync($"{Proposals}/{first.Id}/apply", null)).StatusCode);
        await AssertProblem(await admin.PostAsync($"{Proposals}/999/apply", null), 404, "proposal_not_found");
        using (var applied = await admin.PostAsync($"{Proposals}/{first.Id}/apply", null))
        {
            string body = await applied.Content.ReadAsStringAsync();
            Assert.True(applied.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(2, json.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(0.35, json.RootElement.GetProperty("skills").GetProperty("empathy").GetProperty("behavioral").GetDouble());
            Assert.Equal(0.15, json.RootElement.GetProperty("skills").GetProperty("resilience").GetProperty("behavioral").GetDouble());
        }

        await AssertProblem(await admin.PostAsync($"{Proposals}/{first.Id}/apply", null), 409, "proposal_applied");
        await AssertProblem(await admin.PostAsync($"{Proposals}/{stale.Id}/apply", null), 409, "version_conflict");
        Assert.Equal(FusionProposal.Applied, (await proposals.GetAsync(first.Id))!.Status);
        Assert.Equal(FusionProposal.Proposed, (await proposals.GetAsync(stale.Id))!.Status);
        var audit = await server.Store.ListAuditAsync(100);
        Assert.Contains(audit, a => a.Action == "fusion.proposal.apply" && a.Subject == $"fusion-proposal:{first.Id}" && a.After == "weights version 2");
        Assert.Contains(audit, a => a.Action == "fusion.update" && a.Actor.StartsWith("key:", StringComparison.Ordinal));
    }

    private static FusionProposal Proposal(long baseVersion, SkillWeights empathy) => new(0, DateTime.UtcNow, "cli:test", baseVersion,
    [
        new SkillFit("empathy", 900, SkillWeights.Default, empathy, 0.61, 0.66, 0.05, 0.03, 0.07, null),
        new SkillFit("resilience", 120, SkillWeights.Default, SkillWeights.Default, double.NaN, double.NaN, 0, 0, 0, "only 120 rated students; 200 are needed to fit weights"),
    ], FusionProposal.Proposed, null, null);

    private static AuditEntry Audit() => new(0, DateTime.UtcNow, "cli:test", "fusion.proposal", "fusion-proposal", null, null);
}
