using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Skillscope.Scoring.Tests;
using Skillscope.Server.Tests;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// <c>serve</c> with an OpenTelemetry collector named by the standard <c>OTEL_*</c> variables, as an
/// operator configures it: spans for requests, database commands and batch jobs, metrics and logs
/// reach the collector, log lines carry trace ids, and a collector that is down costs requests nothing.
/// </summary>
public sealed class TelemetryTests
{
    private const string TraceId = "4bf92f3577b34da6a3ce929d0e0e4736";

    [RequiresPostgresFact]
    public async Task Traces_metrics_and_logs_reach_an_otlp_collector_and_json_logs_name_their_trace()
    {
        await using var database = await ScratchPostgresDatabase.CreateAsync("telemetry");
        using var collector = new FakeCollector();
        using var setup = new TempFolder();
        var logs = new StringBuilder();
        var (server, client) = await StartAsync(setup, database.ConnectionString, logs, new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.Address,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_SERVICE_NAME"] = "skillscope-telemetry-test",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        });
        try
        {
            // A caller's trace context is continued: the request's span joins the caller's trace.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/models/leads/predict") { Content = RunningServer.Json("""{"rows": [[1, 2, 3]]}""") };
            request.Headers.Add("traceparent", $"00-{TraceId}-00f067aa0ba902b7-01");
            using (var scored = await client.SendAsync(request))
            {
                Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
            }

            using (var job = await client.PostAsync("/api/v1/assessments/jobs", RunningServer.Json("""{"kind": "full"}""")))
            {
                Assert.True(job.IsSuccessStatusCode, await job.Content.ReadAsStringAsync());
            }

            await UntilAsync(() => CliProcess.Snapshot(logs).Contains("assessment job", StringComparison.Ordinal), "the job did not finish");
            var traceBytes = Convert.FromHexString(TraceId);
            await UntilAsync(() => collector.Received("/v1/traces", traceBytes) && collector.Received("/v1/traces", "assessment job"), "no spans reached the collector");

            // The request span names its route; database spans come from Npgsql; the service is named by OTEL_SERVICE_NAME.
            Assert.True(collector.Received("/v1/traces", "/api/v1/models/{name}/predict"));
            Assert.True(collector.Received("/v1/traces", "postgresql"));
            Assert.True(collector.Received("/v1/traces", "skillscope-telemetry-test"));
            await UntilAsync(() => collector.Received("/v1/metrics", "skillscope.items.scored") && collector.Received("/v1/logs", "assessment job"),
                "metrics or logs did not reach the collector");

            // The JSON log line of the job, written inside its span, names the trace.
            string jobLine = CliProcess.Snapshot(logs).Split('\n').First(line => line.Contains("assessment job", StringComparison.Ordinal) && line.Contains("succeeded", StringComparison.Ordinal));
            Assert.Matches("\"TraceId\":\"[0-9a-f]{32}\"", jobLine);

            // /metrics still answers with today's names.
            string metrics = await client.GetStringAsync("/metrics");
            Assert.Contains("skillscope_items_scored_total{model=\"leads\",version=\"1.0.0\"} 1", metrics, StringComparison.Ordinal);
        }
        finally
        {
            CliProcess.Stop(server);
            client.Dispose();
        }
    }

    [RequiresPostgresFact]
    public async Task A_collector_that_is_down_fails_no_request()
    {
        await using var database = await ScratchPostgresDatabase.CreateAsync("telemetry_down");
        using var setup = new TempFolder();
        var logs = new StringBuilder();

        // Nothing listens on this port.
        var (server, client) = await StartAsync(setup, database.ConnectionString, logs, new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{CliProcess.FreePort()}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "100",
        });
        try
        {
            for (int i = 0; i < 50; i++)
            {
                using var scored = await client.PostAsync("/api/v1/models/leads/predict", RunningServer.Json("""{"rows": [[1, 2, 3]]}"""));
                Assert.Equal(HttpStatusCode.OK, scored.StatusCode);
            }
        }
        finally
        {
            CliProcess.Stop(server);
            client.Dispose();
        }

        Assert.Equal(0, server.ExitCode);
    }

    /// <summary>A replica on <paramref name="connection"/> serving <c>leads</c> 1.0.0, its data directory in <paramref name="setup"/>; the client holds an admin key.</summary>
    private static async Task<(System.Diagnostics.Process Server, HttpClient Client)> StartAsync(
        TempFolder setup, string connection, StringBuilder logs, Dictionary<string, string> environment)
    {
        string zip = Path.Combine(setup.Path, "leads.zip");
        await File.WriteAllBytesAsync(zip, TestModels.Package(name: "leads", version: "1.0.0", seed: 1).ToZip());
        Cli("models", "register", "--package", zip, "--db", connection, "--data-dir", setup.Path);
        Cli("models", "promote", "--name", "leads", "--version", "1.0.0", "--db", connection, "--data-dir", setup.Path);
        string key = Cli("keys", "create", "--role", "admin", "--name", "ops", "--db", connection, "--data-dir", setup.Path)
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];

        int port = CliProcess.FreePort();
        environment["Batch__Schedule"] = "off";
        var server = CliProcess.Start(["serve", "--db", connection, "--data-dir", Path.Combine(setup.Path, "replica"), "--urls", $"http://127.0.0.1:{port}"], logs, environment);
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        await CliProcess.WaitReadyAsync(client, server, logs);
        return (server, client);
    }

    private static string Cli(params string[] args)
    {
        var run = CliRun.Of(args);
        Assert.True(run.ExitCode == 0, $"{string.Join(' ', args[..2])}: {run.Error}{run.Output}");
        return run.Output;
    }

    private static async Task UntilAsync(Func<bool> condition, string failure)
    {
        for (int i = 0; i < 300; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail(failure);
    }

    /// <summary>An OTLP/HTTP endpoint on loopback that keeps every body it is sent, by path.</summary>
    private sealed class FakeCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly List<(string Path, byte[] Body)> _received = [];
        private readonly Task _serving;

        public FakeCollector()
        {
            int port = CliProcess.FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Address { get; }

        public bool Received(string path, string text) => Received(path, Encoding.UTF8.GetBytes(text));

        public bool Received(string path, byte[] bytes)
        {
            lock (_received)
            {
                return _received.Exists(r => r.Path == path && r.Body.AsSpan().IndexOf(bytes) >= 0);
            }
        }

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            _serving.Wait(TimeSpan.FromSeconds(5));
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                lock (_received)
                {
                    _received.Add((context.Request.Url!.AbsolutePath, body.ToArray()));
                }

                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
