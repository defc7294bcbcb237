using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Skillscope.Scoring.Tests;
using Skillscope.Server.Tests;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>
/// Three replicas on one PostgreSQL database and nothing else in common: what one of them is told,
/// every one of them serves.
/// </summary>
public sealed class ClusterTests(ThreeReplicas cluster) : IClassFixture<ThreeReplicas>
{
    private const string Rows = """{"rows": [[1, 2, 3], [4, 5, 6], [7, 8, 9], [2, 9, 4]]}""";

    [RequiresPostgresFact]
    public async Task A_model_registered_on_one_replica_a_sign_in_and_fusion_weights_reach_the_others()
    {
        await cluster.EnsureStartedAsync();
        using var first = cluster.Client(0);
        using var second = cluster.Client(1);
        using var third = cluster.Client(2);

        // Registered and promoted through replica 1; replicas 2 and 3 never saw the package's files.
        using (var registered = await first.PostAsync("/api/v1/models", Zip(TestModels.Package(name: "churn", version: "1.0.0", seed: 5).ToZip())))
        {
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using (var promoted = await first.PostAsync("/api/v1/models/churn/promote", RunningServer.Json("""{"version": "1.0.0"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }

        // How fast is measured by bench/promote-latency; here, that they get there (a loaded CI machine is slow).
        foreach (var replica in new[] { second, third })
        {
            Assert.Equal("1.0.0", await ServedVersionWithinAsync(replica, "churn", "1.0.0", TimeSpan.FromSeconds(15)));
        }

        // Signed in on replica 1; the cookie and an antiforgery token from replica 1's page work on replica 3.
        using var signedIn = new DashboardSession(cluster.Addresses[0]);
        Assert.Equal("/students", await signedIn.SignInAsync(ThreeReplicas.AdminUser, cluster.AdminPassword));
        var (_, jobsPage, _) = await signedIn.GetAsync("/admin/jobs");
        using var elsewhere = new DashboardSession(cluster.Addresses[2], signedIn.Cookies);
        var (status, models, location) = await elsewhere.GetAsync("/admin/models");
        Assert.True(status == HttpStatusCode.OK, $"replica 3 answered {(int)status} (to {location}) for replica 1's sign-in");
        Assert.Contains("churn", models, StringComparison.Ordinal);
        using (var posted = await elsewhere.PostFormAsync("/admin/jobs", new() { ["kind"] = "none", ["__RequestVerificationToken"] = DashboardSession.Token(jobsPage) }))
        {
            Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        }

        // Fusion weights edited on replica 2 are read on replica 1.
        using var weights = await second.GetAsync("/api/v1/fusion/weights/empathy");
        long before = JsonDocument.Parse(await weights.Content.ReadAsStringAsync()).RootElement.GetProperty("version").GetInt64();
        using (var edited = await second.PutAsync("/api/v1/fusion/weights/empathy",
            RunningServer.Json($$"""{"version": {{before}}, "ml": 0.7, "linguistic": 0.1, "behavioral": 0.1, "confidence": 0.1}""")))
        {
            Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
        }

        var deadline = DateTime.UtcNow.AddSeconds(15);
        JsonElement read;
        do
        {
            using var response = await first.GetAsync("/api/v1/fusion/weights/empathy");
            read = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        }
        while (read.GetProperty("version").GetInt64() == before && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(before + 1, read.GetProperty("version").GetInt64());
        Assert.Equal(0.7, read.GetProperty("weights").GetProperty("ml").GetDouble());
    }

    [RequiresPostgresFact]
    public async Task Promoting_and_rolling_back_while_clients_score_through_every_replica_never_fails_or_mixes_versions()
    {
        await cluster.EnsureStartedAsync();
        using var admin = cluster.Client(0);
        foreach (var (version, seed) in new[] { ("1.0.0", 1), ("2.0.0", 7) })
        {
            using var registered = await admin.PostAsync("/api/v1/models", Zip(TestModels.Package(name: "leads", version: version, seed: seed).ToZip()));
            Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        }

        using (var promoted = await admin.PostAsync("/api/v1/models/leads/promote", RunningServer.Json("""{"version": "1.0.0"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, promoted.StatusCode);
        }

        var expected = new Dictionary<string, float[]>();
        foreach (var version in new[] { "1.0.0", "2.0.0" })
        {
            using var response = await admin.PostAsync("/api/v1/models/leads/predict", RunningServer.Json(Rows.Replace("]]}", $"]], \"version\": \"{version}\"}}", StringComparison.Ordinal)));
            expected[version] = Scores(JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
        }

        for (int replica = 1; replica < 3; replica++)
        {
            using var client = cluster.Client(replica);
            await ServedVersionWithinAsync(client, "leads", "1.0.0", TimeSpan.FromSeconds(5));
        }

        int requests = 0, failures = 0, mixed = 0, swaps = 0;
        string? lastFailure = null;
        var seen = new HashSet<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var clients = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            using var client = cluster.Client(i % 3);
            while (!stop.IsCancellationRequested)
            {
                using var response = await client.PostAsync("/api/v1/models/leads/predict", RunningServer.Json(Rows));
                Interlocked.Increment(ref requests);
                string body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref failures);
                    lastFailure = $"replica {(i % 3) + 1}: {(int)response.StatusCode} {body}";
                    continue;
                }

                using var json = JsonDocument.Parse(body);
                string version = json.RootElement.GetProperty("model_version").GetString()!;
                lock (seen)
                {
                    seen.Add(version);
                }

                if (!json.RootElement.GetProperty("predictions").EnumerateArray().All(p => p.GetProperty("model_version").GetString() == version)
                    || !Scores(json.RootElement).SequenceEqual(expected[version]))
                {
                    Interlocked.Increment(ref mixed);
                }
            }
        })).ToList();

        // The changes go through every replica in turn.
        while (!stop.IsCancellationRequested)
        {
            using var changer = cluster.Client(swaps % 3);
            using var promote = await changer.PostAsync("/api/v1/models/leads/promote", RunningServer.Json("""{"version": "2.0.0"}"""));
            using var rollback = await changer.PostAsync("/api/v1/models/leads/rollback", null);
            Assert.Equal(HttpStatusCode.OK, promote.StatusCode);
            Assert.Equal(HttpStatusCode.OK, rollback.StatusCode);
            swaps += 2;
            await Task.Delay(100);
        }

        await Task.WhenAll(clients);
        Assert.True(requests > 300, $"only {requests} requests were made");
        Assert.True(swaps > 20, $"only {swaps} swaps were made");
        Assert.True(failures == 0, $"{failures} of {requests} requests failed; last: {lastFailure}");
        Assert.Equal(0, mixed);
        Assert.Equal(["1.0.0", "2.0.0"], seen.Order());

        // Every replica converges on what the registry says last (production rolled back to 1.0.0).
        for (int replica = 0; replica < 3; replica++)
        {
            using var client = cluster.Client(replica);
            Assert.Equal("1.0.0", await ServedVersionWithinAsync(client, "leads", "1.0.0", TimeSpan.FromSeconds(15)));
        }
    }

    /// <summary>The version a replica scores <paramref name="model"/> with once it is <paramref name="version"/>, or the last one seen when time runs out.</summary>
    private static async Task<string?> ServedVersionWithinAsync(HttpClient client, string model, string version, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        string? served = null;
        do
        {
            using var response = await client.PostAsync($"/api/v1/models/{model}/predict", RunningServer.Json(Rows));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                served = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("model_version").GetString();
            }
        }
        while (served != version && DateTime.UtcNow < deadline && await Pause());

        return served;
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(20);
        return true;
    }

    private static float[] Scores(JsonElement root) =>
        root.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("score").GetSingle()).ToArray();

    private static ByteArrayContent Zip(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        return content;
    }
}
