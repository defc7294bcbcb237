using System.Text.Json;
using Microsoft.Playwright;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Every dashboard page, as a teacher and as an admin, and the printable reports, checked in Chromium with
/// axe-core's WCAG 2.1 A and AA rules: no violation anywhere. The checker is injected into each page, so the
/// context bypasses the site's Content-Security-Policy (which otherwise refuses any script not served by it).
/// </summary>
public sealed class AccessibilityBrowserTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    private static readonly string[] Rules = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

    [RequiresChromiumFact]
    public async Task Every_page_passes_axe_cores_wcag_2_1_a_and_aa_rules()
    {
        string axe = Path.Combine(RepositoryFiles.Root(), "tests", "accessibility", "node_modules", "axe-core", "axe.min.js");
        Assert.True(File.Exists(axe), $"axe-core is not installed: run npm ci --prefix tests/accessibility ({axe})");
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = RequiresChromiumFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var violations = new List<string>();
        var checkedPages = new List<string>();

        await using (var teacher = await browser.NewContextAsync(new() { BypassCSP = true, BaseURL = served.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } }))
        {
            var page = await teacher.NewPageAsync();
            await CheckAsync(page, "/login", axe, violations, checkedPages);
            await SignInAsync(page, "teacher", district.Password("teacher"));
            await OpenAsync(page, "/students");
            string student = (await page.Locator("tbody tr a").First.GetAttributeAsync("href"))!;
            await OpenAsync(page, "/classes");
            string classPage = (await page.Locator("tbody tr a").First.GetAttributeAsync("href"))!;
            await OpenAsync(page, classPage);
            string school = (await page.Locator("a[href^='/schools/']").First.GetAttributeAsync("href"))!;
            foreach (string path in new[]
            {
                "/students", "/students?q=a", student, classPage, "/classes", school, "/glossary",
                student + "/report", student + "/report?for=family", "/students/no-such-student", "/admin/models",
            })
            {
                await CheckAsync(page, path, axe, violations, checkedPages);
            }
        }

        await using (var admin = await browser.NewContextAsync(new() { BypassCSP = true, BaseURL = served.Address.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } }))
        {
            var page = await admin.NewPageAsync();
            await OpenAsync(page, "/login");
            await SignInAsync(page, "admin", district.Password("admin"));
            foreach (string path in new[]
            {
                "/admin/models", "/admin/fusion", "/admin/jobs", "/admin/monitoring", "/admin/audit", "/admin/keys", "/admin/alerts", "/admin/accuracy", "/admin/district?id=d1",
                "/cohorts", "/cohorts?by=term&skill=resilience",
            })
            {
                await CheckAsync(page, path, axe, violations, checkedPages);
            }
        }

        Assert.True(violations.Count == 0, $"axe-core found, on {checkedPages.Count} pages:\n{string.Join("\n", violations)}");
        Assert.Equal(23, checkedPages.Count);
    }

    private static async Task SignInAsync(IPage page, string username, string password)
    {
        if (!page.Url.Contains("/login", StringComparison.Ordinal))
        {
            await OpenAsync(page, "/login");
        }

        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync("**/students", new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
    }

    /// <summary>Goes to the page and waits until it is parsed to its end, not for "load" (which timed out on a busy machine although the page had arrived).</summary>
    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.WaitForFunctionAsync("document.readyState !== 'loading'", null, new() { Timeout = 60_000 });
    }

    private static async Task CheckAsync(IPage page, string path, string axe, List<string> violations, List<string> checkedPages)
    {
        await OpenAsync(page, path);
        await page.AddScriptTagAsync(new() { Path = axe });
        string found = await page.EvaluateAsync<string>(
            "async (tags) => { const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }); " +
            "return JSON.stringify(r.violations.map(v => ({ id: v.id, help: v.help, nodes: v.nodes.map(n => n.target.join(' ') + ': ' + n.failureSummary) }))); }",
            Rules);
        using var document = JsonDocument.Parse(found);
        foreach (var violation in document.RootElement.EnumerateArray())
        {
            violations.Add($"{path}: {violation.GetProperty("id").GetString()} ({violation.GetProperty("help").GetString()}): " +
                string.Join(" | ", violation.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())));
        }

        // Every page says which page it is in its title (WCAG 2.4.2), not only the site's name.
        string title = await page.TitleAsync();
        if (title.Length == 0 || title == "Skillscope")
        {
            violations.Add($"{path}: the title is \"{title}\", not the page's own");
        }

        checkedPages.Add(path);
    }
}
