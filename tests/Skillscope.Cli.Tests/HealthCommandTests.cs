using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Skillscope.Server.Tests;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary><c>skillscope health</c>, the container health check: 0 for a 2xx answer, 1 for anything else.</summary>
public sealed class HealthCommandTests
{
    [Fact]
    public async Task A_live_server_is_healthy_and_a_missing_endpoint_is_not()
    {
        await using var server = await RunningServer.StartAsync();
        // A generous timeout: the server's first answer may wait for a core while other tests run.
        var live = await Task.Run(() => CliRun.Of("health", "--url", new Uri(server.Address, "/health/live").ToString(), "--timeout", "30"));
        Assert.True(live.ExitCode == 0, live.Error);
        Assert.StartsWith("200 ", live.Output, StringComparison.Ordinal);

        AssertUnhealthy(await Task.Run(() => CliRun.Of("health", "--url", new Uri(server.Address, "/health/nothing").ToString(), "--timeout", "30")), "answered 404");
    }

    [Fact]
    public void Nothing_listening_is_unhealthy()
    {
        // A port that was free a moment ago, closed again: nothing listens on it.
        Listen(out string url).Dispose();
        AssertUnhealthy(CliRun.Of("health", "--url", url), "cannot be reached");
    }

    [Fact]
    public void A_server_that_does_not_answer_in_time_is_unhealthy()
    {
        // Accepts the connection (the backlog does) and never answers.
        using var silent = Listen(out string url);
        var clock = Stopwatch.StartNew();
        AssertUnhealthy(CliRun.Of("health", "--url", url, "--timeout", "0.5"), "did not answer within 0.5 s");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_malformed_url_fails_with_1_not_the_usage_code_docker_reserves()
    {
        AssertUnhealthy(CliRun.Of("health", "--url", "127.0.0.1:8080/health/live"), "is not an http(s) URL");
    }

    private static TcpListener Listen(out string url)
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/health/live";
        return listener;
    }

    private static void AssertUnhealthy(CliRun run, string because)
    {
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(because, run.Error, StringComparison.Ordinal);
    }
}
