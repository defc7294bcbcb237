using System.Net;
using System.Text;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>The host's life: settings from the data directory and their checks at start, and a shutdown that lets requests finish.</summary>
public sealed class HostingTests
{
    [Theory]
    [InlineData("RateLimit:PermitsPerSecond", "0")]
    [InlineData("RateLimit:Burst", "-1")]
    [InlineData("Batch:Kind", "weekly")]
    [InlineData("Batch:ChunkSize", "0")]
    [InlineData("ApiKeys:CacheSeconds", "0")]
    [InlineData("Assessment:MaxBatch", "0")]
    [InlineData("Dashboard:SessionHours", "0")]
    [InlineData("Monitoring:ReferenceRows", "50")]
    [InlineData("Monitoring:FlushSeconds", "0")]
    [InlineData("Monitoring:DriftWarn", "0.5")]
    public async Task A_setting_that_cannot_work_stops_the_start_naming_it(string setting, string value)
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { [setting] = value }));
        Assert.Contains($"{setting} must be", error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Drift_thresholds_of_one_model_or_feature_that_cannot_work_stop_the_start_naming_them()
    {
        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() =>
            RunningServer.StartAsync(new Dictionary<string, string?> { ["Monitoring:Models:lead_conversion:Features:age:DriftWarn"] = "0.3" }));
        Assert.Contains("Monitoring:Models:lead_conversion:Features:age: DriftWarn must be", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_in_the_data_directory_configure_the_host()
    {
        await using var server = await RunningServer.StartAsync(settingsFile: """{"RateLimit": {"PermitsPerSecond": 1, "Burst": 1}}""");
        using var client = server.Client(server.ServiceKey);
        using var first = await client.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json("""{"rows": [[1,2,3]]}"""));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // One permit a second with a burst of one: a refill tick may land between two requests, so four
        // quick ones (at most one refill among them) must meet at least one refusal.
        var statuses = new List<HttpStatusCode>();
        string? retryAfter = null;
        for (int i = 0; i < 4; i++)
        {
            using var next = await client.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json("""{"rows": [[1,2,3]]}"""));
            statuses.Add(next.StatusCode);
            retryAfter ??= next.Headers.RetryAfter?.ToString();
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.NotNull(retryAfter);

        // The bucket is the key's, for every API endpoint; health checks are never limited.
        var other = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
        {
            using var weights = await client.GetAsync("/api/v1/fusion/weights");
            other.Add(weights.StatusCode);
            using var live = await client.GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, other);
    }

    [Fact]
    public async Task Stopping_drains_a_request_in_flight()
    {
        await using var server = await RunningServer.StartAsync();
        using var client = server.Client(server.ServiceKey);
        var body = new TricklingContent("""{"rows": [[1, 2, 3]]}""");
        var request = client.PostAsync("/api/v1/models/lead_conversion/predict", body);
        await body.HalfSent.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // Half the body is on the wire; give the server a moment to start the request (a request whose
        // headers have not been read yet is not in flight, and closing its connection is correct).
        await Task.Delay(500);
        var stopping = server.StopAsync();
        await Task.Delay(300);
        Assert.False(stopping.IsCompleted, "the host stopped while a request was still in flight");
        body.SendRest.SetResult();

        using var response = await request.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await stopping.WaitAsync(TimeSpan.FromSeconds(20));
    }

    /// <summary>Sends half the body, then waits to be told to send the rest.</summary>
    private sealed class TricklingContent : HttpContent
    {
        private readonly byte[] _bytes;

        public TricklingContent(string text)
        {
            _bytes = Encoding.UTF8.GetBytes(text);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        public TaskCompletionSource HalfSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource SendRest { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            int half = _bytes.Length / 2;
            await stream.WriteAsync(_bytes.AsMemory(0, half));
            await stream.FlushAsync();
            HalfSent.SetResult();
            await SendRest.Task;
            await stream.WriteAsync(_bytes.AsMemory(half));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _bytes.Length;
            return true;
        }
    }
}
