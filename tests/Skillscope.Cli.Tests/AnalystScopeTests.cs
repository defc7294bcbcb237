using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The analyst sees cohorts and never a student: every page they can reach and every route of the API
/// (read from its own OpenAPI document, each path filled with a real student's, class's and school's ids) is
/// scanned for any student's id or name. Groups under 10 students show no figures.
/// </summary>
public sealed partial class AnalystScopeTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [Fact]
    public async Task An_analyst_sees_no_identifier_of_any_student_on_any_page_or_route()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var admin = served.Client(district.AdminKey);
        var identifiers = new List<string>();
        for (int page = 1; page <= DemoDistrict.Students / 100; page++)
        {
            using var students = JsonDocument.Parse(await admin.GetStringAsync($"/api/v1/students?page_size=100&page={page}"));
            foreach (var student in students.RootElement.GetProperty("students").EnumerateArray())
            {
                string first = student.GetProperty("first_name").GetString()!, last = student.GetProperty("last_name").GetString()!;
                identifiers.AddRange([student.GetProperty("id").GetString()!, $"{first} {last}", $"{last}, {first}"]);
            }
        }

        Assert.Equal(DemoDistrict.Students * 3, identifiers.Count);
        using var one = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/students/st0000001"));
        var someone = one.RootElement.GetProperty("student");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["id"] = "st0000001", ["class"] = someone.GetProperty("class_id").GetString()!, ["school"] = someone.GetProperty("school_id").GetString()!,
        };

        var account = CliRun.Of("users", "create", "--role", "analyst", "--username", "analyst", "--data-dir", district.DataDirectory);
        Assert.True(account.ExitCode == 0, account.Error);
        var key = CliRun.Of("keys", "create", "--role", "analyst", "--name", "analyst", "--data-dir", district.DataDirectory);
        Assert.True(key.ExitCode == 0, key.Error);
        var seen = new List<(string Where, HttpStatusCode Status, string Body)>();

        // The dashboard: every link the analyst is shown, and every page a link elsewhere could lead to.
        using var session = new DashboardSession(served.Address);
        Assert.Equal("/cohorts", await session.SignInAsync("analyst", account.Output.TrimEnd().Split('\n')[^1].Trim()));
        var pages = new Queue<string>(["/", "/cohorts", "/cohorts?by=school", "/cohorts?by=term&skill=resilience", "/glossary", "/students", "/students?q=a", "/students/st0000001",
            "/students/st0000001/report", "/students/st0000001/report.pdf", $"/classes/{ids["class"]}", $"/classes/{ids["class"]}/export.csv", $"/classes/{ids["class"]}/reports.pdf",
            "/classes", $"/schools/{ids["school"]}", "/admin/accuracy", "/admin/accuracy.csv", "/admin/audit", "/admin/models", "/admin/monitoring", "/admin/jobs"]);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        while (pages.TryDequeue(out string? path))
        {
            if (!visited.Add(path))
            {
                continue;
            }

            var (status, body, _) = await session.GetAsync(path);
            seen.Add(($"page {path}", status, body));
            foreach (Match link in Link().Matches(body))
            {
                if (link.Groups[1].Value.StartsWith('/') && !link.Groups[1].Value.StartsWith("//", StringComparison.Ordinal) && !link.Groups[1].Value.StartsWith("/logout", StringComparison.Ordinal))
                {
                    pages.Enqueue(WebUtility.HtmlDecode(link.Groups[1].Value));
                }
            }
        }

        Assert.Contains(seen, s => s.Where == "page /cohorts" && s.Status == HttpStatusCode.OK && s.Body.Contains("Distribution of", StringComparison.Ordinal));
        Assert.Contains(seen, s => s.Where == "page /students/st0000001" && s.Status == HttpStatusCode.Forbidden);

        // The API: every GET route of its own description, as the analyst's key.
        using var analyst = served.Client(key.Output.TrimEnd().Split('\n')[^1].Trim());
        using var description = JsonDocument.Parse(await admin.GetStringAsync("/openapi/v1.json"));
        int routes = 0;
        foreach (var route in description.RootElement.GetProperty("paths").EnumerateObject())
        {
            if (!route.Value.TryGetProperty("get", out _))
            {
                continue;
            }

            string path = Placeholder().Replace(route.Name, m => m.Groups[1].Value switch
            {
                "id" when route.Name.StartsWith("/api/v1/classes", StringComparison.Ordinal) => ids["class"],
                "id" when route.Name.StartsWith("/api/v1/schools", StringComparison.Ordinal) => ids["school"],
                "id" => ids["id"],
                "skill" => "empathy",
                _ => "skill_empathy",
            });
            foreach (string query in new[] { "", "?by=school", "?format=jsonl" })
            {
                using var answer = await analyst.GetAsync(path + query);
                seen.Add(($"route {path}{query}", answer.StatusCode, await answer.Content.ReadAsStringAsync()));
            }

            routes++;
        }

        Assert.True(routes > 20, $"only {routes} GET routes were read from the API's description");
        Assert.Contains(seen, s => s.Where == "route /api/v1/cohorts?by=school" && s.Status == HttpStatusCode.OK);
        Assert.Contains(seen, s => s.Where == "route /api/v1/exports/scores" && s.Status == HttpStatusCode.Forbidden);
        // The scan can see a leak: what an admin reads of one student holds one of the identifiers.
        string control = await admin.GetStringAsync("/api/v1/students/st0000001/report?format=html");
        Assert.Contains(identifiers, i => control.Contains(i, StringComparison.Ordinal));
        Assert.True(visited.Count >= 20, $"only {visited.Count} pages were read");
        var leaks = seen.SelectMany(s => identifiers.Where(i => s.Body.Contains(i, StringComparison.Ordinal)).Select(i => $"{s.Where} ({(int)s.Status}) shows \"{i}\"")).ToList();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks.Take(20)));

        // A link to a student's page, followed before signing in, starts the analyst on the cohorts; they sign out like anyone.
        using var again = new DashboardSession(served.Address);
        Assert.Equal("/cohorts", await again.SignInAsync("analyst", account.Output.TrimEnd().Split('\n')[^1].Trim(), returnUrl: "/students/st0000001"));
        Assert.Equal("/cohorts", (await again.GetAsync("/")).Location);
        var (_, cohorts, _) = await again.GetAsync("/cohorts");
        using (var signedOut = await again.PostFormAsync("/logout", new() { ["__RequestVerificationToken"] = DashboardSession.Token(cohorts) }))
        {
            Assert.Equal("/login", signedOut.Headers.Location?.ToString());
        }

        Assert.Contains("/login", (await again.GetAsync("/cohorts")).Location, StringComparison.Ordinal);
    }

    [GeneratedRegex("href=\"([^\"#]+)\"")]
    private static partial Regex Link();

    [GeneratedRegex("\\{([a-z_]+)\\}")]
    private static partial Regex Placeholder();
}
