using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The admin pages that change what every student's assessment uses — fusion weights and traffic splits —
/// and the monitoring page, over HTTP as a browser posts their forms.
/// </summary>
public sealed partial class AdminPagesTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private static readonly string[] Parts = ["ml", "linguistic", "behavioral", "confidence"];

    [Fact]
    public async Task Fusion_weights_are_edited_validated_and_audited_and_a_stale_form_changes_nothing()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = await SignInAsync(served, "admin");
        var (status, page, _) = await admin.GetAsync("/admin/fusion");
        Assert.Equal(HttpStatusCode.OK, status);
        var fields = Fields(page);
        long version = long.Parse(fields["based_on"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(28, fields.Keys.Count(k => k.StartsWith("w-", StringComparison.Ordinal)));

        // Not summing to 1: refused with the reason, the values typed kept, nothing changed.
        var invalid = new Dictionary<string, string>(fields) { ["w-empathy-ml"] = "0.9" };
        using (var refused = await admin.PostFormAsync("/admin/fusion", invalid))
        {
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("must sum to 1", body, StringComparison.Ordinal);
            Assert.Contains("value=\"0.9\"", body, StringComparison.Ordinal);
        }

        using var api = served.Client(district.AdminKey);
        Assert.Equal(version, await VersionAsync(api));

        var valid = new Dictionary<string, string>(fields) { ["w-empathy-ml"] = "0.5", ["w-empathy-linguistic"] = "0.25", ["w-empathy-behavioral"] = "0.15", ["w-empathy-confidence"] = "0.1" };
        using (var saved = await admin.PostFormAsync("/admin/fusion", valid))
        {
            Assert.Equal($"/admin/fusion?saved={version + 1}", saved.Headers.Location?.PathAndQuery);
        }

        using (var weights = JsonDocument.Parse(await api.GetStringAsync("/api/v1/fusion/weights/empathy")))
        {
            Assert.Equal(version + 1, weights.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(0.25, weights.RootElement.GetProperty("weights").GetProperty("linguistic").GetDouble(), 9);
        }

        // The same form again was based on the old version: refused, nothing changed.
        using (var stale = await admin.PostFormAsync("/admin/fusion", new Dictionary<string, string>(valid) { ["w-empathy-ml"] = "0.6", ["w-empathy-linguistic"] = "0.15" }))
        {
            Assert.Contains("changed while you were editing", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(version + 1, await VersionAsync(api));
        var (_, audit, _) = await admin.GetAsync("/admin/audit?action=fusion.update");
        Assert.Contains("user:admin", audit, StringComparison.Ordinal);

        using var teacher = await SignInAsync(served, "teacher");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/fusion")).Status);
        using var forbidden = await teacher.PostFormAsync("/admin/fusion", valid);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task A_traffic_split_is_set_from_the_models_page_and_scoring_follows_it()
    {
        // A second version of one skill model, so that there is something to split between.
        district.RegisterVersion("skill_empathy", "1.1.0");

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = await SignInAsync(served, "admin");
        var (_, page, _) = await admin.GetAsync("/admin/models");
        Assert.Contains("Traffic split: none", page, StringComparison.Ordinal);
        string token = DashboardSession.Token(page);

        using (var bad = await admin.PostFieldsAsync("/admin/models/skill_empathy/split", [("__RequestVerificationToken", token), ("version", "1.0.0"), ("percent", "50"), ("version", "1.1.0"), ("percent", "20")]))
        {
            Assert.Contains("error=", bad.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        using (var set = await admin.PostFieldsAsync("/admin/models/skill_empathy/split", [("__RequestVerificationToken", token), ("version", "1.0.0"), ("percent", "70"), ("version", "1.1.0"), ("percent", "30")]))
        {
            Assert.Contains("done=", set.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        var (_, after, _) = await admin.GetAsync("/admin/models");
        Assert.Contains("Traffic split: 1.0.0 70% · 1.1.0 30%", WebUtility.HtmlDecode(after), StringComparison.Ordinal);
        using var api = served.Client(district.AdminKey);
        using (var model = JsonDocument.Parse(await api.GetStringAsync("/api/v1/models/skill_empathy")))
        {
            Assert.Contains("1.1.0", model.RootElement.ToString(), StringComparison.Ordinal);
        }

        using (var cleared = await admin.PostFieldsAsync("/admin/models/skill_empathy/split", [("__RequestVerificationToken", token), ("version", "1.0.0"), ("percent", "0"), ("version", "1.1.0"), ("percent", "")]))
        {
            Assert.Contains("removed", Uri.UnescapeDataString(cleared.Headers.Location?.ToString() ?? ""), StringComparison.Ordinal);
        }

        Assert.Contains("Traffic split: none", (await admin.GetAsync("/admin/models")).Body, StringComparison.Ordinal);
        using var noToken = await admin.PostFieldsAsync("/admin/models/skill_empathy/rollback", []);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        using var signOutWithoutToken = await admin.PostFieldsAsync("/logout", []);
        Assert.Equal(HttpStatusCode.BadRequest, signOutWithoutToken.StatusCode);
    }

    [Fact]
    public async Task Monitoring_shows_each_skill_s_scores_their_agreement_with_ratings_and_how_feedback_was_written()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = await SignInAsync(served, "admin");
        var (status, page, _) = await admin.GetAsync("/admin/monitoring?days=30");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7, Histogram().Count(page));
        // The demo assessed every student once: each skill counts them all, and agrees with the ratings.
        Assert.Equal(7, Regex.Count(page, $"<dd>{DemoDistrict.Students}, mean 0\\.\\d\\d</dd>"));
        var correlations = Correlation().Matches(page).Select(m => double.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(7, correlations.Count);
        Assert.All(correlations, r => Assert.InRange(r, 0.2, 1));
        Assert.Matches($"<td>Skillscope&#x27;s templates</td>\\s*<td title=\"llm_not_configured\">no AI assistant is set up</td>\\s*<td>{DemoDistrict.Students}</td>", page);

        // Each input of a skill model against its training data, sortable, in words an admin reads.
        var (_, drift, _) = await admin.GetAsync("/admin/monitoring?days=30&model=skill_empathy&window=30d&sort=name");
        Assert.Contains("<table data-drift>", drift, StringComparison.Ordinal);
        Assert.Contains("compared with", drift, StringComparison.Ordinal);
        Assert.Contains("rows of its training data", drift, StringComparison.Ordinal);
        Assert.True(Regex.Count(drift, "data-variable=") > 10, "every input has a row");
        Assert.Contains("data-variable=\"(score)\"", drift, StringComparison.Ordinal);
        // The demo's night scored 300 students: fewer than a verdict needs, and the page says so.
        Assert.Contains("too few rows yet", drift, StringComparison.Ordinal);

        // The model's versions side by side, on the teachers' ratings of the students they scored.
        Assert.Contains("<table data-versions>", drift, StringComparison.Ordinal);
        Assert.Matches("rated\\)</td>", drift);

        using var teacher = await SignInAsync(served, "teacher");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/monitoring")).Status);
    }

    [Fact]
    public async Task The_keys_page_shows_each_keys_use_and_revokes_a_key_so_that_it_is_refused()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        var created = CliRun.Of("keys", "create", "--role", "service", "--name", "page-revoked", "--expires-in", "2w", "--data-dir", district.DataDirectory);
        string id = Regex.Match(created.Output, @"key (\w+) for").Groups[1].Value, key = created.Output.TrimEnd().Split('\n')[^1].Trim();
        using var service = served.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await service.GetAsync("/api/v1/assessments/jobs")).StatusCode);

        using var admin = await SignInAsync(served, "admin");
        var (status, page, _) = await admin.GetAsync("/admin/keys");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("page-revoked", page, StringComparison.Ordinal);
        Assert.Contains($"/admin/keys/{id}/revoke", page, StringComparison.Ordinal);
        Assert.DoesNotContain(key, page, StringComparison.Ordinal);

        using var revoked = await admin.PostFormAsync($"/admin/keys/{id}/revoke", new() { ["__RequestVerificationToken"] = DashboardSession.Token(page) });
        Assert.StartsWith("/admin/keys?done=", revoked.Headers.Location?.ToString(), StringComparison.Ordinal);
        var until = DateTime.UtcNow.AddSeconds(3);
        while ((await service.GetAsync("/api/v1/assessments/jobs")).StatusCode == HttpStatusCode.OK)
        {
            Assert.True(DateTime.UtcNow < until, "the revoked key still worked 3 s later");
            await Task.Delay(100);
        }

        var (_, after, _) = await admin.GetAsync("/admin/keys");
        Assert.DoesNotContain($"/admin/keys/{id}/revoke", after, StringComparison.Ordinal);
        var (_, audit, _) = await admin.GetAsync("/admin/audit?action=key.revoke");
        Assert.Contains($"key:{id}", audit, StringComparison.Ordinal);
    }

    private async Task<DashboardSession> SignInAsync(ServedHost served, string username)
    {
        var session = new DashboardSession(served.Address);
        Assert.NotNull(await session.SignInAsync(username, district.Password(username)));
        return session;
    }

    private static async Task<long> VersionAsync(HttpClient api)
    {
        using var weights = JsonDocument.Parse(await api.GetStringAsync("/api/v1/fusion/weights"));
        return weights.RootElement.GetProperty("version").GetInt64();
    }

    /// <summary>The fusion form's fields as the browser would send them (inputs with a name and a value).</summary>
    private static Dictionary<string, string> Fields(string page)
    {
        string form = page[page.IndexOf("<form method=\"post\"", page.IndexOf("<main", StringComparison.Ordinal), StringComparison.Ordinal)..];
        form = form[..form.IndexOf("</form>", StringComparison.Ordinal)];
        return Input().Matches(form).ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value), StringComparer.Ordinal);
    }

    [Fact]
    public async Task The_alerts_page_shows_the_rules_and_saves_only_a_valid_change()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = await SignInAsync(served, "admin");
        using var api = served.Client(district.AdminKey);
        string before = await api.GetStringAsync("/api/v1/alerts/rules");
        var (status, page, _) = await admin.GetAsync("/admin/alerts");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("server error rate", page, StringComparison.Ordinal);
        Assert.Contains("agreement with teacher ratings", page, StringComparison.Ordinal);
        var fields = Fields(page);

        using (var refused = await admin.PostFormAsync("/admin/alerts", new Dictionary<string, string>(fields)
        {
            ["rules_json"] = """{"rules": [{"id": "x", "kind": "weather"}], "webhooks": [{"id": "w", "url": "https://e.org/h", "secret": "do-not-show-this-secret"}]}""",
        }))
        {
            string body = await refused.Content.ReadAsStringAsync();
            Assert.Contains("Nothing was saved", body, StringComparison.Ordinal);
            Assert.Contains("kind &quot;weather&quot;", body, StringComparison.Ordinal);
            Assert.DoesNotContain("do-not-show-this-secret", body, StringComparison.Ordinal);
        }

        using (var saved = await admin.PostFormAsync("/admin/alerts", new Dictionary<string, string>(fields)
        {
            ["rules_json"] = """{"rules": [{"id": "errors", "kind": "error_rate", "threshold": 0.1}], "webhooks": []}""",
        }))
        {
            Assert.StartsWith("/admin/alerts?saved=", saved.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
        }

        using (var rules = JsonDocument.Parse(await api.GetStringAsync("/api/v1/alerts/rules")))
        {
            Assert.Equal("errors", Assert.Single(rules.RootElement.GetProperty("rules").EnumerateArray()).GetProperty("id").GetString());
            var (_, audit, _) = await admin.GetAsync("/admin/audit?action=alerts.rules");
            Assert.Contains("user:admin", audit, StringComparison.Ordinal);

            // The district's rules as they were, for the other tests.
            using var previous = JsonDocument.Parse(before);
            string restore = before.Replace($"\"version\":{previous.RootElement.GetProperty("version").GetInt64()}", $"\"version\":{rules.RootElement.GetProperty("version").GetInt64()}", StringComparison.Ordinal);
            using var restored = await api.PutAsync("/api/v1/alerts/rules", new StringContent(restore, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, restored.StatusCode);
        }

        using var teacher = await SignInAsync(served, "teacher");
        Assert.Equal(HttpStatusCode.Forbidden, (await teacher.GetAsync("/admin/alerts")).Status);
    }

    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]+)\"[^>]*?value=\"(?<value>[^\"]*)\"")]
    private static partial Regex Input();

    [GeneratedRegex("aria-label=\"[^\"]+: scores per tenth")]
    private static partial Regex Histogram();

    [GeneratedRegex("<dt>r with ratings</dt>\\s*<dd>\\s*<span class=\"\">(0\\.\\d\\d)")]
    private static partial Regex Correlation();
}
