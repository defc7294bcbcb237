using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;
using Skillscope.Server.Tests;
using Skillscope.Testing;
using Xunit;

namespace Skillscope.Cli.Tests;

/// <summary>One batch job shared by three replicas, one of which is killed in the middle of it.</summary>
public sealed class ClusterBatchTests(ThreeBatchReplicas cluster) : IClassFixture<ThreeBatchReplicas>
{
    [RequiresPostgresFact]
    public async Task A_job_across_three_replicas_completes_when_one_is_killed_and_assesses_every_student_exactly_once()
    {
        await cluster.EnsureStartedAsync();
        using var first = cluster.Client(0);
        string job;
        using (var queued = await first.PostAsync("/api/v1/assessments/jobs", new StringContent("""{"kind": "full"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
            job = JsonDocument.Parse(await queued.Content.ReadAsStringAsync()).RootElement.GetProperty("job").GetProperty("id").GetString()!;
        }

        // Killed while it is in the middle of a partition (some of it committed, not all).
        var deadline = DateTime.UtcNow.AddMinutes(3);
        JsonElement details;
        do
        {
            details = await DetailsAsync(first, job);
        }
        while (!Partitions(details).Any(p => IsReplica2(p) && p.GetProperty("status").GetString() == "running" && p.GetProperty("processed").GetInt64() > 0)
            && DateTime.UtcNow < deadline && await Pause());

        cluster.Kill(1);
        var sinceKill = Stopwatch.StartNew();

        // What it held when it died (read after the kill: nothing of it can change any more).
        var held = Partitions(await DetailsAsync(first, job)).Where(p => IsReplica2(p) && p.GetProperty("status").GetString() == "running")
            .Select(p => p.GetProperty("number").GetInt32()).ToHashSet();
        Assert.NotEmpty(held);

        // Its partitions are taken over by the others once their leases run out.
        TimeSpan? reclaimed = null;
        deadline = DateTime.UtcNow.AddMinutes(4);
        do
        {
            details = await DetailsAsync(first, job);
            if (reclaimed is null && Partitions(details).Where(p => held.Contains(p.GetProperty("number").GetInt32())).All(p => !IsReplica2(p)))
            {
                reclaimed = sinceKill.Elapsed;
            }
        }
        while (details.GetProperty("job").GetProperty("status").GetString() == "running" && DateTime.UtcNow < deadline && await Pause());

        var finished = details.GetProperty("job");
        Assert.True(finished.GetProperty("status").GetString() == "succeeded", $"{finished}\nreplica 1:\n{cluster.Logs(0)}\nreplica 3:\n{cluster.Logs(2)}");
        // The lease (24 s) runs out 16–24 s after the kill and a busy worker takes the partition up when it
        // finishes its own: within 30 s; a few seconds more are allowed for this test's own polling on a loaded machine.
        Assert.True(reclaimed <= TimeSpan.FromSeconds(35), $"replica 2's partitions were taken over after {reclaimed?.TotalSeconds:0.0} s");
        Assert.Equal((ThreeBatchReplicas.Students, 0L), (finished.GetProperty("processed").GetInt64(), finished.GetProperty("failed").GetInt64()));

        // No partition committed twice: the partitions' counts add up to the students, each student once.
        Assert.Equal(ThreeBatchReplicas.Students, Partitions(details).Sum(p => p.GetProperty("processed").GetInt64()));
        Assert.All(Partitions(details), p => Assert.Equal("done", p.GetProperty("status").GetString()));
        Assert.Contains(Partitions(details), p => held.Contains(p.GetProperty("number").GetInt32()) && p.GetProperty("generation").GetInt64() >= 2);
        Assert.True(details.GetProperty("workers").GetArrayLength() >= 2);

        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT COUNT(*), COUNT(DISTINCT student_id), (SELECT COUNT(*) FROM students) FROM assessments WHERE job_id = @job", connection);
        count.Parameters.AddWithValue("job", job);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(((long)ThreeBatchReplicas.Students, (long)ThreeBatchReplicas.Students, (long)ThreeBatchReplicas.Students), (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));

        // The jobs page says who did what.
        using var session = new DashboardSession(cluster.Addresses[2]);
        Assert.Equal("/students", await session.SignInAsync(ThreeReplicas.AdminUser, cluster.AdminPassword));
        var (status, page, _) = await session.GetAsync("/admin/jobs");
        Assert.Equal(HttpStatusCode.OK, status);
        int partitions = Partitions(details).Count;
        Assert.Contains($"{partitions} of {partitions} partitions done", page, StringComparison.Ordinal);
        Assert.Contains("replica-1/", page, StringComparison.Ordinal);
        Assert.Contains("replica-3/", page, StringComparison.Ordinal);
    }

    // A partition no worker has leased yet has no "worker" (nulls are left out of answers).
    private static bool IsReplica2(JsonElement partition) =>
        partition.TryGetProperty("worker", out var worker) && worker.GetString()?.StartsWith("replica-2/", StringComparison.Ordinal) == true;

    private static List<JsonElement> Partitions(JsonElement details) => [.. details.GetProperty("partitions").EnumerateArray()];

    private static async Task<JsonElement> DetailsAsync(HttpClient client, string job)
    {
        using var response = await client.GetAsync($"/api/v1/assessments/jobs/{job}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<bool> Pause()
    {
        await Task.Delay(250);
        return true;
    }
}
