using System.Net;
using Skillscope.Server;
using Skillscope.Server.Hosting;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The dashboard's district settings page: a district's admin sees and saves its own district's settings (bad values refused
/// with the reason, nothing saved) and sends it back to the installation's; an admin bound to no district names the district.
/// </summary>
public sealed class AdminDistrictPageTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task A_district_admin_saves_the_districts_settings_on_the_page_and_gets_the_reason_for_a_refusal()
    {
        var created = CliRun.Of("users", "create", "--role", "admin", "--username", "d1-head", "--district-id", "d1", "--data-dir", district.DataDirectory);
        Assert.True(created.ExitCode == 0, created.Error);
        string password = created.Output.TrimEnd().Split('\n')[^1].Trim();

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var head = new DashboardSession(served.Address);
        Assert.NotNull(await head.SignInAsync("d1-head", password));

        // Another district in the address is not another district's page: a district's admin sees its own.
        var (status, page, _) = await head.GetAsync("/admin/district?id=elsewhere");
        Assert.Equal(HttpStatusCode.OK, status);
        string text = Text(page);
        Assert.Contains("Settings of district d1", text, StringComparison.Ordinal);
        Assert.Contains("The district has no settings of its own.", text, StringComparison.Ordinal);
        Assert.Contains("Save as version 1", text, StringComparison.Ordinal);

        string token = DashboardSession.Token(page);
        using (var refused = await head.PostFieldsAsync("/admin/district", Fields(token, ("strength_at", "0.3"), ("growth_below", "0.5"))))
        {
            string body = Text(await refused.Content.ReadAsStringAsync());
            Assert.Contains("bands need 0 < growth_below < strength_at < 1", body, StringComparison.Ordinal);
            Assert.Contains("nothing was saved", body, StringComparison.Ordinal);
        }

        using (var saved = await head.PostFieldsAsync("/admin/district", Fields(token, ("strength_at", "0.8"), ("growth_below", "0.3"), ("transcript_days", "45"), ("llm", "off"))))
        {
            Assert.Contains("saved=", saved.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        string after = Text((await head.GetAsync("/admin/district")).Body);
        Assert.Contains("Version 1, saved", after, StringComparison.Ordinal);
        Assert.Contains("Save as version 2", after, StringComparison.Ordinal);
        using (var api = served.Client(district.AdminKey))
        using (var json = System.Text.Json.JsonDocument.Parse(await api.GetStringAsync("/api/v1/districts/d1/settings")))
        {
            var inForce = json.RootElement.GetProperty("in_force");
            Assert.Equal((0.8, 45, false), (inForce.GetProperty("bands").GetProperty("strength_at").GetDouble(), inForce.GetProperty("transcript_days").GetInt32(),
                inForce.GetProperty("llm").GetBoolean()));
        }

        // The glossary shows the district's bands to its people.
        Assert.Contains("A score of 0.80 or more", Text((await head.GetAsync("/glossary")).Body), StringComparison.Ordinal);

        var (_, current, _) = await head.GetAsync("/admin/district");
        using (var stale = await head.PostFieldsAsync("/admin/district", [("_handler", "district-settings-remove"), ("__RequestVerificationToken", DashboardSession.Token(current)),
            ("based_on", "0")]))
        {
            Assert.Contains("changed while you were reading them", Text(await stale.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        }

        using (var removed = await head.PostFieldsAsync("/admin/district", [("_handler", "district-settings-remove"), ("__RequestVerificationToken", DashboardSession.Token(current)),
            ("based_on", "1")]))
        {
            Assert.Contains("reset=1", removed.Headers.Location?.ToString(), StringComparison.Ordinal);
        }

        // The removal is a version too: the next save is version 3.
        string reset = Text((await head.GetAsync("/admin/district?reset=1")).Body);
        Assert.Contains("The installation's settings are in force", reset, StringComparison.Ordinal);
        Assert.Contains("The district has no settings of its own.", reset, StringComparison.Ordinal);
        Assert.Contains("Save as version 3", reset, StringComparison.Ordinal);

        // An admin bound to no district names one; one not in the roster is not found.
        using var admin = new DashboardSession(served.Address);
        Assert.NotNull(await admin.SignInAsync("admin", district.Password("admin")));
        Assert.Contains("District id", Text((await admin.GetAsync("/admin/district")).Body), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/admin/district?id=nowhere")).Status);
        Assert.Contains("Settings of district d1", Text((await admin.GetAsync("/admin/district?id=d1")).Body), StringComparison.Ordinal);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static (string, string)[] Fields(string token, params (string, string)[] values) =>
        [("_handler", "district-settings"), ("__RequestVerificationToken", token), ("based_on", "0"), .. values];

    private static string Text(string html) =>
        System.Text.RegularExpressions.Regex.Replace(WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")), @"\s+", " ");
}
