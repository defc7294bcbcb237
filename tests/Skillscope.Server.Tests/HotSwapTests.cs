using System.Net;
using System.Text.Json;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>Promotions and rollbacks while clients score: no request fails and no response mixes versions.</summary>
public sealed class HotSwapTests
{
    [Fact]
    public async Task Promoting_and_rolling_back_under_concurrent_load_never_fails_or_mixes_versions()
    {
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["RateLimit:PermitsPerSecond"] = "1000000" });
        const string Body = """{"rows": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [2, 9, 4]]}""";
        var expected = new Dictionary<string, float[]>();
        using (var probe = server.Client(server.ServiceKey))
        {
            foreach (var version in new[] { "1.0.0", "2.0.0" })
            {
                using var response = await probe.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json(Body.Replace("]]}", $"]], \"version\": \"{version}\"}}", StringComparison.Ordinal)));
                expected[version] = Scores(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
            }
        }

        Assert.NotEqual(expected["1.0.0"], expected["2.0.0"]);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        int requests = 0, failures = 0, mixed = 0, swaps = 0;
        string? lastFailure = null;
        var seen = new HashSet<string>();
        var clients = Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            using var client = server.Client(server.ServiceKey);
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync("/api/v1/models/lead_conversion/predict", RunningServer.Json(Body));
                Interlocked.Increment(ref requests);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                    lastFailure = $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}";
                    continue;
                }

                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                string version = json.RootElement.GetProperty("model_version").GetString()!;
                lock (seen)
                {
                    seen.Add(version);
                }

                bool consistent = json.RootElement.GetProperty("predictions").EnumerateArray().All(p => p.GetProperty("model_version").GetString() == version)
                    && Scores(json.RootElement).SequenceEqual(expected[version]);
                if (!consistent)
                {
                    Interlocked.Increment(ref mixed);
                }
            }
        })).ToList();

        using (var admin = server.Client(server.AdminKey))
        {
            while (!stop.IsCancellationRequested)
            {
                using var promote = await admin.PostAsync("/api/v1/models/lead_conversion/promote", RunningServer.Json("""{"version": "2.0.0"}"""));
                using var rollback = await admin.PostAsync("/api/v1/models/lead_conversion/rollback", null);
                Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
                Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
                swaps += 2;
            }
        }

        await Task.WhenAll(clients);
        Assert.True(requests > 100, $"only {requests} requests were made");
        Assert.True(swaps > 10, $"only {swaps} swaps were made");
        Assert.True(failures == 0, $"{failures} failed requests; last: {lastFailure}");
        Assert.Equal(0, mixed);
        Assert.Equal(["1.0.0", "2.0.0"], seen.Order());
    }

    private static float[] Scores(JsonElement root) =>
        root.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("score").GetSingle()).ToArray();
}
