using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Skillscope.Server.Dashboard;
using Skillscope.Server.Hosting;
using Skillscope.Server.Security;
using Skillscope.Storage;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>
/// TLS ended at a reverse proxy: X-Forwarded-Proto from a configured proxy makes the request HTTPS (so the
/// dashboard's cookie is Secure); from any other address the header changes nothing.
/// </summary>
public sealed partial class ForwardedHeadersTests
{
    [Fact]
    public async Task A_sign_in_through_a_known_https_proxy_gets_a_secure_cookie()
    {
        // The test client connects from 127.0.0.1: here that is the proxy.
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Proxy:KnownProxies:0"] = "127.0.0.1" });
        string cookie = await SignInCookieAsync(server, forwardedProto: "https");
        Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task X_Forwarded_Proto_from_an_unknown_address_is_ignored()
    {
        // Only a documentation address (never contacted) is trusted; 127.0.0.1 is just a client.
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Proxy:KnownProxies:0"] = "192.0.2.10", ["Proxy:KnownNetworks:0"] = "198.51.100.0/24",
        });
        string cookie = await SignInCookieAsync(server, forwardedProto: "https");
        Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase);

        // No proxy configured at all: the same.
        await using var plain = await RunningServer.StartAsync();
        Assert.DoesNotContain("secure", await SignInCookieAsync(plain, forwardedProto: "https"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Proxy_settings_are_read_as_lists_or_comma_separated_and_refused_when_malformed()
    {
        Assert.Null(ProxySetup.Options(Section(new() { ["Proxy:KnownProxies:0"] = " " })));

        var options = ProxySetup.Options(Section(new() { ["Proxy:KnownProxies"] = "10.0.0.5, 10.0.0.6", ["Proxy:KnownNetworks:0"] = "10.1.0.0/16" }))!;
        Assert.Equal([IPAddress.Parse("10.0.0.5"), IPAddress.Parse("10.0.0.6")], options.KnownProxies);
        // Exactly what is configured: the default trust of loopback is gone.
        Assert.Equal([System.Net.IPNetwork.Parse("10.1.0.0/16")], options.KnownIPNetworks);

        var bad = Assert.Throws<FormatException>(() => ProxySetup.Options(Section(new() { ["Proxy:KnownNetworks:0"] = "10.1.0.0" })));
        Assert.Contains("Proxy:KnownNetworks:0", bad.Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => ProxySetup.Options(Section(new() { ["Proxy:KnownProxies:0"] = "proxy.local" })));
    }

    private static IConfigurationSection Section(Dictionary<string, string?> settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection(ProxySetup.Section);

    /// <summary>Signs an admin in through the login form, every request carrying <paramref name="forwardedProto"/>; returns the dashboard's Set-Cookie header.</summary>
    private static async Task<string> SignInCookieAsync(RunningServer server, string forwardedProto)
    {
        string password = await DashboardAccounts.CreateAsync(((SqlRegistryStore)server.Store).Assessments.Users, "head", "Head Teacher", Roles.Admin, teacherId: null);

        // Cookies by hand: a cookie container would not send a Secure cookie back over http.
        using var client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = server.Address };
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");
        using var form = await client.GetAsync("/login");
        string html = await form.Content.ReadAsStringAsync();
        string antiforgery = form.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Antiforgery.", StringComparison.Ordinal)).Split(';')[0];

        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = "head", ["password"] = password, ["__RequestVerificationToken"] = TokenInput().Match(html).Groups[1].Value,
            }),
        };
        post.Headers.Add("Cookie", antiforgery);
        using var signedIn = await client.SendAsync(post);
        Assert.Equal((HttpStatusCode.Redirect, "/students"), (signedIn.StatusCode, signedIn.Headers.Location?.ToString()));
        return signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("skillscope.dashboard=", StringComparison.Ordinal));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();
}
