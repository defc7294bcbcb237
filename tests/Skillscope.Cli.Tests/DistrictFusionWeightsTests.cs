using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// A district's own fusion weights: set by that district's admin (validated, versioned, audited), used for its
/// students' assessments (which record whose weights made them), invisible to another district's admin, and dropped
/// to fall back to the installation's.
/// </summary>
public sealed class DistrictFusionWeightsTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private const string Weights = "/api/v1/districts/d1/fusion/weights";

    [Fact]
    public async Task A_district_admins_weights_apply_to_that_districts_assessments_only_and_can_be_dropped()
    {
        var (ownKey, otherKey, student) = await district.DistrictAdminsAsync();

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var own = served.Client(ownKey);
        using var other = served.Client(otherKey);
        using var admin = served.Client(district.AdminKey);
        long installation;
        using (var before = JsonDocument.Parse(await own.GetStringAsync(Weights)))
        {
            Assert.False(before.RootElement.GetProperty("own").GetBoolean());
            installation = before.RootElement.GetProperty("version").GetInt64();
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(Weights)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/districts/nowhere/fusion/weights")).StatusCode);
        var change = new { version = 0, skills = new { empathy = new { ml = 0.3, linguistic = 0.1, behavioral = 0.5, confidence = 0.1 } } };
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync(Weights, change)).StatusCode);
        using (var refused = await own.PutAsJsonAsync(Weights, new { skills = new { empathy = new { ml = 0.9, linguistic = 0.1, behavioral = 0.5, confidence = 0.1 } } }))
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        }

        using (var saved = await own.PutAsJsonAsync(Weights, change))
        {
            string body = await saved.Content.ReadAsStringAsync();
            Assert.True(saved.StatusCode == HttpStatusCode.OK, body);
            using var json = JsonDocument.Parse(body);
            Assert.True(json.RootElement.GetProperty("own").GetBoolean());
            Assert.Equal(1, json.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(0.5, json.RootElement.GetProperty("skills").GetProperty("empathy").GetProperty("behavioral").GetDouble());
        }

        Assert.Equal(HttpStatusCode.Conflict, (await own.PutAsJsonAsync(Weights, change)).StatusCode);
        using (var installationWeights = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/fusion/weights")))
        {
            Assert.Equal(installation, installationWeights.RootElement.GetProperty("version").GetInt64());
            Assert.Equal(0.15, installationWeights.RootElement.GetProperty("skills").GetProperty("empathy").GetProperty("behavioral").GetDouble());
        }

        // The district's student is assessed with the district's weights, and the assessment says whose.
        Assert.Equal("d1:1", await FusionVersionAsync(admin, student));

        Assert.Equal(HttpStatusCode.NoContent, (await own.DeleteAsync(Weights)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await own.DeleteAsync(Weights)).StatusCode);
        Assert.Equal(installation.ToString(System.Globalization.CultureInfo.InvariantCulture), await FusionVersionAsync(admin, student));
        using var store2 = await StoreFactory.OpenAsync(new ServerOptions(district.DataDirectory));
        var audit = await store2.ListAuditAsync(100);
        Assert.Contains(audit, a => a.Action == "fusion.district.update" && a.Subject == "district:d1" && a.Actor.StartsWith("key:", StringComparison.Ordinal));
        Assert.Contains(audit, a => a.Action == "fusion.district.remove" && a.Subject == "district:d1");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task<string> FusionVersionAsync(HttpClient client, string student)
    {
        using var json = await DemoDistrict.AssessAsync(client, student);
        return json.RootElement.GetProperty("assessment").GetProperty("fusion_version").GetString()!;
    }
}
