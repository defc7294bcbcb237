using System.Net;
using Xunit;

namespace Skillscope.Server.Tests.Security;

/// <summary>What an anonymous client sends cannot add series to /metrics.</summary>
public sealed class MetricLabelTests
{
    [Fact]
    public async Task Invented_http_methods_are_counted_as_other()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client();
        foreach (string method in new[] { "GET", "FOO", "BREW", "PROPFIND" })
        {
            using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/health/live"));
            Assert.NotEqual(HttpStatusCode.InternalServerError, response.StatusCode);
        }

        string metrics = await client.GetStringAsync("/metrics");
        Assert.DoesNotContain("method=\"FOO\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("method=\"BREW\"", metrics, StringComparison.Ordinal);
        Assert.Contains("method=\"OTHER\"", metrics, StringComparison.Ordinal);
        Assert.Contains("method=\"GET\"", metrics, StringComparison.Ordinal);

        // A scrape is a GET (or HEAD); nothing else reaches the exporter.
        using var posted = await client.PostAsync("/metrics", new StringContent("x"));
        await ProblemAssert.AssertProblem(posted, 405, "method_not_allowed");
        using var head = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/metrics"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }
}
