using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>Every answer, API or dashboard, found or not, carries the security headers; the dashboard's assets are served from the site.</summary>
public sealed class SecurityHeaderTests
{
    [Theory]
    [InlineData("/health/live", null)]
    [InlineData("/api/v1/models", "service")]
    [InlineData("/api/v1/nothing-here", null)]
    [InlineData("/login", null)]
    [InlineData("/students", null)]
    [InlineData("/assets/dashboard.css", null)]
    public async Task Every_answer_carries_the_security_headers(string path, string? key)
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(key is null ? null : server.ServiceKey);
        client.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        using var response = await client.GetAsync(path);
        var headers = response.Headers;
        Assert.Equal("default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'", Single(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Single(response, "Referrer-Policy"));
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.False(headers.Contains("Strict-Transport-Security"), "HSTS over plain HTTP");
    }

    [Fact]
    public async Task Behind_a_trusted_tls_proxy_answers_ask_for_https_from_now_on()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "127.0.0.1" });
        using var client = server.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var response = await client.SendAsync(request);
        Assert.Equal("max-age=31536000", Single(response, "Strict-Transport-Security"));
    }

    [Fact]
    public async Task The_dashboards_style_sheet_and_script_are_served_with_their_types_and_revalidate()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client();
        using var css = await client.GetAsync("/assets/dashboard.css");
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains(".card", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var js = await client.GetAsync("/assets/dashboard.js");
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/assets/dashboard.css");
        again.Headers.IfNoneMatch.Add(css.Headers.ETag!);
        using var unchanged = await client.SendAsync(again);
        Assert.Equal(System.Net.HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/assets/../skillscope.db")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync("/assets/other.js")).StatusCode);
    }

    private static string Single(HttpResponseMessage response, string name) =>
        Assert.Single(response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);
}
