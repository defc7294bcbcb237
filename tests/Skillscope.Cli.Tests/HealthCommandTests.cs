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
        var live = await Task.Run(() => CliRun.Of("health", "--url", new Uri(server.Address, "/health/live").ToString()));
        Assert.True(live.ExitCode == 0, live.Error);
        Assert.StartsWith("200 ", live.Output, StringComparison.Ordinal);

        var missing = await Task.Run(() => CliRun.Of("health", "--url", new Uri(server.Address, "/health/nothing").ToString()));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("answered 404", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_listening_is_unhealthy()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();

        var run = CliRun.Of("health", "--url", $"http://127.0.0.1:{port}/health/live");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("cannot be reached", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_does_not_answer_in_time_is_unhealthy()
    {
        // Accepts the connection (the backlog does) and never answers.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;

        var clock = Stopwatch.StartNew();
        var run = CliRun.Of("health", "--url", $"http://127.0.0.1:{port}/health/live", "--timeout", "0.5");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("did not answer within 0.5 s", run.Error, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_malformed_url_fails_with_1_not_the_usage_code_docker_reserves()
    {
        var run = CliRun.Of("health", "--url", "127.0.0.1:8080/health/live");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("is not an http(s) URL", run.Error, StringComparison.Ordinal);
    }
}
