using Microsoft.Playwright;
using Skillscope.Server.Tests;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>The API documentation at <c>/docs</c> in a real browser: it renders the document's operations and loads nothing from elsewhere.</summary>
public sealed class ApiDocsBrowserTests
{
    [RequiresChromiumFact]
    public async Task The_docs_page_renders_the_api_from_this_server_alone()
    {
        await using var server = await RunningServer.StartAsync();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = RequiresChromiumFactAttribute.Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 }, BaseURL = server.Address.ToString() });
        var elsewhere = new List<string>();
        var blocked = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(server.Address.ToString(), StringComparison.Ordinal) && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                lock (elsewhere)
                {
                    elsewhere.Add(request.Url);
                }
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                lock (blocked)
                {
                    blocked.Add(message.Text);
                }
            }
        };

        var answer = await page.GotoAsync("/docs", new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        Assert.True(answer!.Ok, $"/docs answered {answer.Status}");

        // The title, a tag and an operation's summary come from the OpenAPI document this server serves.
        await page.GetByText("Score rows (or stored entities by id)").First.WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 60_000 });
        Assert.True(await page.GetByText("Skillscope API").First.IsVisibleAsync());
        if (Environment.GetEnvironmentVariable("SKILLSCOPE_SCREENSHOTS") is { Length: > 0 } directory)
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(directory, "api-docs.png") });
        }

        Assert.Empty(blocked);
        Assert.Empty(elsewhere);
    }
}
