using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Skillscope.Assessment.Feedback;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A district's own settings over HTTP: set by that district's admin (validated, versioned, audited), invisible to
/// another district's admin, used for its students' assessments — which record the settings version — and exports,
/// and dropped to fall back to the installation's.
/// </summary>
public sealed class DistrictSettingsTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private const string Settings = "/api/v1/districts/d1/settings";

    [Fact]
    public async Task A_district_admins_settings_make_its_assessments_and_exports_and_are_recorded_on_each()
    {
        var (ownKey, otherKey, student) = await district.DistrictAdminsAsync();

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var own = served.Client(ownKey);
        using var other = served.Client(otherKey);
        using var admin = served.Client(district.AdminKey);
        using (var before = JsonDocument.Parse(await own.GetStringAsync(Settings)))
        {
            var root = before.RootElement;
            Assert.Equal(0, root.GetProperty("version").GetInt64());
            Assert.Equal(0.65, root.GetProperty("in_force").GetProperty("bands").GetProperty("strength_at").GetDouble());
            Assert.False(root.GetProperty("own").TryGetProperty("bands", out _));
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Settings)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/districts/nowhere/settings")).StatusCode);
        var wanted = new { version = 0, bands = new { strength_at = 0.9, growth_below = 0.2 }, transcript_days = 30, llm = false };
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync(Settings, wanted)).StatusCode);
        await RefusedAsync(own, new { bands = new { strength_at = 0.3, growth_below = 0.5 } }, HttpStatusCode.UnprocessableEntity, "invalid_settings");
        await RefusedAsync(own, new { transcript_days = 0 }, HttpStatusCode.UnprocessableEntity, "invalid_settings");
        await RefusedAsync(own, new { retention_days = 30 }, HttpStatusCode.UnprocessableEntity, "invalid_settings");
        await RefusedAsync(own, new { version = "one" }, HttpStatusCode.BadRequest, "invalid_request");

        using (var saved = await own.PutAsJsonAsync(Settings, wanted))
        {
            string body = await saved.Content.ReadAsStringAsync();
            Assert.True(saved.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal(1, json.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(30, json.RootElement.GetProperty("in_force").GetProperty("transcript_days").GetInt32());
            Assert.Equal(0.2, json.RootElement.GetProperty("own").GetProperty("bands").GetProperty("growth_below").GetDouble());
        }

        await RefusedAsync(own, wanted, HttpStatusCode.Conflict, "version_conflict");

        // The district's student is assessed with its bands, and the assessment records the settings version.
        var bands = new SkillBands(0.9, 0.2);
        using (var assessed = await DemoDistrict.AssessAsync(admin, student))
        {
            var assessment = assessed.RootElement.GetProperty("assessment");
            var settings = assessment.GetProperty("settings");
            Assert.Equal(("d1:1", "d1", false), (settings.GetProperty("version").GetString(), settings.GetProperty("district").GetString(), settings.GetProperty("llm").GetBoolean()));
            var fused = assessment.GetProperty("skills").EnumerateArray().ToDictionary(s => s.GetProperty("skill").GetString()!, s => s.GetProperty("fused").GetDouble());
            foreach (var skill in assessment.GetProperty("feedback").GetProperty("skills").EnumerateArray())
            {
                Assert.Equal(bands.Of(fused[skill.GetProperty("skill").GetString()!]), skill.GetProperty("band").GetString());
            }
        }

        // Exports band the district's scores by its bands.
        string csv = await own.GetStringAsync("/api/v1/exports/scores?district=d1&format=csv");
        var rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = rows[0].Split(',');
        int scoreAt = Array.IndexOf(header, "score"), bandAt = Array.IndexOf(header, "band");
        Assert.True(rows.Length > 1);
        Assert.All(rows.Skip(1).Select(r => r.Split(',')), cells =>
            Assert.Equal(bands.Of(double.Parse(cells[scoreAt], System.Globalization.CultureInfo.InvariantCulture)), cells[bandAt]));

        Assert.Equal(HttpStatusCode.Conflict, (await own.DeleteAsync(Settings + "?version=0")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await own.DeleteAsync(Settings + "?version=1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await own.DeleteAsync(Settings)).StatusCode);
        using (var removed = JsonDocument.Parse(await own.GetStringAsync(Settings)))
        {
            Assert.Equal(2, removed.RootElement.GetProperty("version").GetInt64());
        }

        using (var after = await DemoDistrict.AssessAsync(admin, student))
        {
            Assert.False(after.RootElement.GetProperty("assessment").TryGetProperty("settings", out _));
        }

        using var store2 = await StoreFactory.OpenAsync(new ServerOptions(district.DataDirectory));
        var audit = await store2.ListAuditAsync(100);
        Assert.Contains(audit, a => a.Action == "settings.district.update" && a.Subject == "district:d1" && a.Actor.StartsWith("key:", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "settings.district.remove" && a.Subject == "district:d1");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task RefusedAsync(HttpClient client, object body, HttpStatusCode status, string code)
    {
        using var response = await client.PutAsJsonAsync(Settings, body);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, text);
        using var json = JsonDocument.Parse(text);
        Assert.Equal(code, json.RootElement.GetProperty("code").GetString());
    }

}
