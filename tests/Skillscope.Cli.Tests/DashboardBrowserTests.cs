using System.Text.Json;
using Microsoft.Playwright;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium, driven by Playwright): sign in as the demo's
/// teacher, search, open a profile with gauges, evidence and feedback, answer "Was this assessment
/// accurate?", download a class as CSV, search within a class, and be refused another class's
/// student and the admin pages; sign in as the admin, promote and roll back a model version, edit the
/// fusion weights and read the monitoring page. With
/// SKILLSCOPE_SCREENSHOTS=DIR it saves the screenshots the README shows.
/// </summary>
public sealed class DashboardBrowserTests(DemoDistrict district) : IClassFixture<DemoDistrict>
{
    [RequiresChromiumFact]
    public async Task A_teacher_signs_in_searches_reads_a_profile_and_is_refused_another_class()
    {
        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Launch);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = served.Address.ToString() });
        var blocked = BlockedByPolicy(page);

        await Open(page, "/students");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username").FillAsync("teacher");
        await page.GetByLabel("Password").FillAsync(district.Password("teacher"));
        await Screenshot(page, "login.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Arrive(page, "**/students", page.GetByLabel("Name or id"));

        var first = page.Locator("tbody tr a").First;
        string name = await first.InnerTextAsync();
        string query = name.Split(',')[0];
        await page.GetByLabel("Name or id").FillAsync(query);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        // The answer's search box carries the query in its markup; the page before only in its typed value.
        await Arrive(page, "**/students?q=*", page.Locator($"input#q[value=\"{query}\"]"));
        await Screenshot(page, "search.png");
        var grades = (await page.Locator("#grade option").AllInnerTextsAsync()).Skip(1).ToList();
        Assert.True(grades.Count is > 0 and < 4, $"a teacher is offered the grades of their classes, not {string.Join(", ", grades)}");
        await page.GetByRole(AriaRole.Link, new() { Name = name }).First.ClickAsync();
        await Arrive(page, "**/students/st*", page.Locator("figure.gauge").First, page.GetByRole(AriaRole.Button, new() { Name = "Send" }));

        Assert.Equal(7, await page.Locator("figure.gauge").CountAsync());
        Assert.Equal(7, await page.Locator("figure.gauge svg[role=img]").CountAsync());
        Assert.True(await page.Locator("blockquote").CountAsync() > 0, "the student's own sentences are shown");
        Assert.True(await page.GetByText("Written from the evidence").IsVisibleAsync());

        // A teacher reads plain words: no model ids, no fusion or model vocabulary, no units; each observation once per skill.
        string profile = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(@"(?i)skill_\w+@|\bfused\b|model's score|ML score|template-\d|per 100 words|\bratio\b|\bindex\b", profile);
        foreach (var list in await page.Locator("ul.evidence").AllAsync())
        {
            var lines = await list.Locator("li > span[title]").AllInnerTextsAsync();
            Assert.Equal(lines.Count, lines.Distinct().Count());
        }

        Assert.True(await page.Locator("[data-progress=one]").CountAsync() + await page.Locator("figure svg polyline").CountAsync() == 1, "one assessment says so; more draw the line");
        await Screenshot(page, "profile.png");

        // Keyboard only: the first tab stops are the site's links, in order.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skillscope", await page.EvaluateAsync<string>("document.activeElement.textContent"));

        // "Was this assessment accurate?"
        await page.GetByLabel("Partially").CheckAsync();
        await page.GetByLabel("empathy", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Comment (optional)").FillAsync("More confident in small groups.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await page.GetByText("Thank you — your answer was recorded.").WaitForAsync(new() { Timeout = 60_000 });

        // The answer stays on the form, to be changed and sent again.
        Assert.True(await page.GetByLabel("Partially").IsCheckedAsync());
        Assert.True(await page.GetByLabel("empathy", new() { Exact = true }).IsCheckedAsync());
        Assert.Equal("More confident in small groups.", await page.GetByLabel("Comment (optional)").InputValueAsync());
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Send again" }).IsVisibleAsync());

        // What the words mean.
        await page.GetByRole(AriaRole.Link, new() { Name = "What the words mean" }).First.ClickAsync();
        await Arrive(page, "**/glossary", page.GetByRole(AriaRole.Heading, new() { Name = "Skill score and band" }));
        Assert.True(await page.GetByText("Seeing others' points of view").IsVisibleAsync());
        await Screenshot(page, "glossary.png");
        await page.GoBackAsync();

        // The printable report for the family: bands in words, no numbers, and the same as a PDF.
        await page.GetByRole(AriaRole.Link, new() { Name = "for the family" }).ClickAsync();
        await Arrive(page, "**/report?for=family", page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex(": a report for the family$") }));
        Assert.Equal(7, await page.Locator(".skill").CountAsync());
        Assert.DoesNotMatch(@"\d\.\d\d", await page.Locator("main").InnerTextAsync());
        await Screenshot(page, "report-family.png", fullPage: true);
        var report = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "download it as a PDF" }).ClickAsync());
        Assert.Contains(": a report for the family", ReportTests.PdfText(await File.ReadAllBytesAsync((await report.PathAsync())!)), StringComparison.Ordinal);
        await page.GoBackAsync();
        await Arrive(page, "**/students/st*", page.Locator("figure.gauge").First);

        string mine = new Uri(page.Url).AbsolutePath.Split('/')[^1];
        await page.GetByRole(AriaRole.Link, new() { Name = "Classes" }).ClickAsync();
        await page.Locator("tbody tr a").First.ClickAsync();
        await Arrive(page, "**/classes/*", page.GetByRole(AriaRole.Link, new() { Name = "Download as CSV" }));
        int rows = await page.Locator("tbody tr").CountAsync();
        Assert.True(rows > 0);
        await Screenshot(page, "class.png");
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { Name = "Students to check on" }).IsVisibleAsync());
        Assert.True(await page.Locator("[data-check-on]").CountAsync() == 1);
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download as CSV" }).ClickAsync());
        string csv = await File.ReadAllTextAsync((await download.PathAsync())!);
        Assert.StartsWith("student_id,first_name,last_name,empathy", csv, StringComparison.Ordinal);
        Assert.Equal(rows + 1, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
        string classId = new Uri(page.Url).AbsolutePath.Split('/')[^1];
        var bundle = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "for families" }).ClickAsync());
        string bundled = ReportTests.PdfText(await File.ReadAllBytesAsync((await bundle.PathAsync())!));
        Assert.Equal(rows, System.Text.RegularExpressions.Regex.Count(bundled, ": a report for the family"));

        // The students to check on across the school (of this teacher's classes there).
        await page.GetByText("Students to check on across").ClickAsync();
        await Arrive(page, "**/schools/*", page.Locator("[data-check-on]"));
        Assert.True(await page.GetByRole(AriaRole.Heading, new() { NameRegex = new System.Text.RegularExpressions.Regex("students to check on$") }).IsVisibleAsync());
        await Screenshot(page, "check-on.png", fullPage: true);

        // Search within one of their classes.
        await Open(page, "/students");
        await page.GetByLabel("Class").SelectOptionAsync(classId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Arrive(page, "**/students?*class=*", page.Locator($"#class option[selected][value=\"{classId}\"]"));
        Assert.True(await page.GetByText($"{rows} students in your classes").IsVisibleAsync());

        using var api = served.Client(district.AdminKey);
        using var all = JsonDocument.Parse(await api.GetStringAsync("/api/v1/students?page_size=100"));
        var students = all.RootElement.GetProperty("students").EnumerateArray().ToList();
        string teacher = students.First(s => s.GetProperty("id").GetString() == mine).GetProperty("teacher_id").GetString()!;
        string other = students.First(s => s.GetProperty("teacher_id").GetString() != teacher).GetProperty("id").GetString()!;
        var refused = await Open(page, $"/students/{other}");
        Assert.Equal(404, refused!.Status);
        Assert.True(await page.GetByText("no student with this id in your classes").IsVisibleAsync());
        Assert.True(await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).IsVisibleAsync(), "the error page keeps the site's navigation");
        Assert.Equal(404, (await Open(page, $"/students/{other}/report?for=family"))!.Status);
        Assert.True(await page.GetByText("no student with this id in your classes").IsVisibleAsync());
        Assert.Equal(404, (await Open(page, "/classes/no-such-class"))!.Status);
        Assert.True(await page.GetByText("There is no class with this id among your classes.").IsVisibleAsync());
        Assert.Equal(403, (await Open(page, "/admin/models"))!.Status);
        Assert.True(await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).IsVisibleAsync());
        Assert.True(await page.GetByText("This page is for administrators of the whole system.").IsVisibleAsync());
        Assert.Empty(blocked);
    }

    [RequiresChromiumFact]
    public async Task An_admin_promotes_a_model_version_and_rolls_it_back()
    {
        // A second version of one skill model, registered from the first one's files.
        district.RegisterVersion("skill_growth_mindset", "1.0.1");

        await using var served = await ServedHost.StartAsync(district.DataDirectory);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(Launch);
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, BaseURL = served.Address.ToString() });
        var blocked = BlockedByPolicy(page);
        await Open(page, "/login");
        await page.GetByLabel("Username").FillAsync("admin");
        await page.GetByLabel("Password").FillAsync(district.Password("admin"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Arrive(page, "**/students", page.GetByLabel("Name or id"));

        // Cohorts side by side, from aggregates: a table of means and band shares, and one skill's distributions.
        await page.GetByRole(AriaRole.Link, new() { Name = "Cohorts" }).ClickAsync();
        await Arrive(page, "**/cohorts", page.GetByRole(AriaRole.Heading, new() { Name = "Distribution of empathy scores" }));
        await page.GetByLabel("Compare by").SelectOptionAsync("school");
        await page.GetByLabel("Skill shown below").SelectOptionAsync("resilience");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Arrive(page, "**/cohorts?by=school&skill=resilience", page.GetByRole(AriaRole.Heading, new() { Name = "Distribution of resilience scores" }));
        Assert.Equal(1, await page.Locator("tbody tr").CountAsync());
        Assert.True(await page.GetByRole(AriaRole.Cell, new() { Name = DemoDistrict.Students.ToString(System.Globalization.CultureInfo.InvariantCulture) }).IsVisibleAsync());
        Assert.Equal(1, await page.Locator("figure svg[role=img]").CountAsync());
        await Screenshot(page, "cohorts.png");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Promote skill_growth_mindset 1.0.1 to production" }).ClickAsync();

        // The answer page is there once its status line is (waiting for the URL alone also waits for "load").
        await page.GetByText("skill_growth_mindset 1.0.1 is now in production (was 1.0.0).").WaitForAsync(new() { Timeout = 60_000 });
        Assert.True(await page.GetByText("production · all traffic").First.IsVisibleAsync());
        Assert.Equal(0, await page.GetByText("serving", new() { Exact = true }).CountAsync());
        await Screenshot(page, "models.png");
        Assert.Equal("1.0.1", served.Host.Catalog.Models["skill_growth_mindset"].Aliases["production"].Version);

        await page.GetByRole(AriaRole.Button, new() { Name = "Roll production back to 1.0.0" }).ClickAsync();
        await page.GetByText("skill_growth_mindset production rolled back to 1.0.0.").WaitForAsync(new() { Timeout = 60_000 });
        Assert.Equal("1.0.0", served.Host.Catalog.Models["skill_growth_mindset"].Aliases["production"].Version);

        // Fusion weights: a sum other than 1 is refused with the reason; a valid change becomes the next version.
        await page.GetByRole(AriaRole.Link, new() { Name = "Fusion weights" }).ClickAsync();
        await page.GetByLabel("Empathy: ml weight").FillAsync("0.7");
        // The row's live sum comes from the site's script file, which the security policy lets run.
        await page.Locator("tr[data-weights] [data-sum]").Filter(new() { HasText = "must be 1" }).First.WaitForAsync(new() { Timeout = 10_000 });
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as version 2" }).ClickAsync();
        await page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "must sum to 1" }).WaitForAsync(new() { Timeout = 60_000 });
        await page.GetByLabel("Empathy: ml weight").FillAsync("0.55");
        await page.GetByLabel("Empathy: linguistic weight").FillAsync("0.2");
        await Screenshot(page, "fusion.png");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as version 2" }).ClickAsync();
        await page.GetByText("Version 2 is in force").WaitForAsync(new() { Timeout = 60_000 });
        using var api = served.Client(district.AdminKey);
        using var weights = JsonDocument.Parse(await api.GetStringAsync("/api/v1/fusion/weights/empathy"));
        Assert.Equal(0.2, weights.RootElement.GetProperty("weights").GetProperty("linguistic").GetDouble(), 9);

        // The page parsed to its end before its form is used: a submit while it still loaded was lost on a busy machine.
        await page.GetByRole(AriaRole.Link, new() { Name = "Monitoring" }).ClickAsync();
        await Arrive(page, "**/admin/monitoring", page.GetByRole(AriaRole.Heading, new() { Name = "Feedback texts" }));
        await page.GetByLabel("Assessments of the last").SelectOptionAsync("30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Arrive(page, "**/admin/monitoring?days=30", page.Locator("#days option[selected][value=\"30\"]"), page.GetByRole(AriaRole.Heading, new() { Name = "Feedback texts" }));
        Assert.Equal(7, await page.Locator("section.card svg[role=img]").CountAsync());
        Assert.DoesNotContain("llm_not_configured", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.True(await page.GetByText("no AI assistant is set up").First.IsVisibleAsync());
        await Screenshot(page, "monitoring.png", fullPage: true);

        // The audit log's long changes (lists of ids) wrap inside the window, the whole change on hover.
        await page.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        await Arrive(page, "**/admin/audit", page.Locator("table"));
        Assert.True(await page.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the audit log fits the window");

        // A job asked for: the banner follows it from queued to finished.
        await page.GetByRole(AriaRole.Link, new() { Name = "Jobs" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Assess students with new evidence" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).WaitForAsync(new() { Timeout = 60_000 });
        for (int attempt = 0; attempt < 120 && !(await page.GetByRole(AriaRole.Status).InnerTextAsync()).Contains("finished", StringComparison.Ordinal); attempt++)
        {
            await Task.Delay(500);
            await page.GetByRole(AriaRole.Link, new() { Name = "Refresh" }).ClickAsync();
            await Parsed(page);
        }

        Assert.Contains("finished", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(blocked);
    }

    /// <summary>
    /// Waits until the browser is at <paramref name="url"/> and shows each landmark in turn (the first one only the
    /// new page has), then until that page is parsed to its end. Waiting for the URL with its default "load" state
    /// timed out on a busy machine although the page had arrived; what the test reads is the page's markup, so that
    /// is what it waits for.
    /// </summary>
    private static async Task Arrive(IPage page, string url, params ILocator[] landmarks)
    {
        await page.WaitForURLAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        foreach (var landmark in landmarks)
        {
            await landmark.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        }

        await Parsed(page);
    }

    /// <summary>Goes to <paramref name="url"/> and waits until its page is parsed (not for "load"; see <see cref="Arrive"/>).</summary>
    private static async Task<IResponse?> Open(IPage page, string url)
    {
        var response = await page.GotoAsync(url, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await Parsed(page);
        return response;
    }

    private static async Task Parsed(IPage page) =>
        await page.WaitForFunctionAsync("document.readyState !== 'loading'", null, new() { Timeout = 60_000 });

    /// <summary>What the browser refused under the Content-Security-Policy (an inline style or script would be).</summary>
    private static List<string> BlockedByPolicy(IPage page)
    {
        var blocked = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                blocked.Add(message.Text);
            }
        };
        return blocked;
    }

    private static BrowserTypeLaunchOptions Launch => new()
    {
        ExecutablePath = RequiresChromiumFactAttribute.Chromium,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
    };

    private static async Task Screenshot(IPage page, string file, bool fullPage = false)
    {
        if (Environment.GetEnvironmentVariable("SKILLSCOPE_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, file), FullPage = fullPage });
        }
    }
}
