using System.Net;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>API rate limits per key: cluster-wide with Redis, per replica without it, and still answered when Redis goes away.</summary>
public sealed class ClusterRateLimitTests
{
    // One permit a second and a burst of six: a quick run of requests gets about six through.
    private static readonly Dictionary<string, string?> Limits = new() { ["RateLimit:PermitsPerSecond"] = "1", ["RateLimit:Burst"] = "6" };

    [RequiresRedisFact]
    public async Task With_redis_a_keys_limit_holds_for_every_replica_together()
    {
        using var redis = await RedisProcess.StartAsync();
        var settings = new Dictionary<string, string?>(Limits) { ["Redis:Configuration"] = redis.Configuration };
        await using var first = await RunningServer.StartAsync(settings);
        await using var second = await first.StartReplicaAsync(settings);

        var statuses = await AlternateAsync(first, second, 12);
        // Six from the burst, and one more for each second the run takes (a second or two on a slow machine).
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 6, 8);
        Assert.All(statuses.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.TooManyRequests, s));

        // Redis gone: each replica decides with its own bucket instead; nothing fails.
        redis.Kill();
        var without = await AlternateAsync(first, second, 4);
        Assert.All(without, s => Assert.True(s is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, s.ToString()));
        Assert.Contains(HttpStatusCode.OK, without);
    }

    [Fact]
    public async Task Without_redis_each_replica_keeps_its_own_bucket()
    {
        await using var first = await RunningServer.StartAsync(Limits);
        await using var second = await first.StartReplicaAsync(Limits);

        var statuses = await AlternateAsync(first, second, 12);
        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 12, 12);
    }

    private static async Task<List<HttpStatusCode>> AlternateAsync(RunningServer first, RunningServer second, int requests)
    {
        using var one = first.Client(first.AdminKey);
        using var two = second.Client(second.AdminKey);
        var statuses = new List<HttpStatusCode>();
        for (int i = 0; i < requests; i++)
        {
            using var response = await (i % 2 == 0 ? one : two).GetAsync("/api/v1/models");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        return statuses;
    }
}
