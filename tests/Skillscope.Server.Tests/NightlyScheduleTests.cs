using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>The host's worker creates and runs the nightly job when the clock reaches the cron schedule.</summary>
public sealed class NightlyScheduleTests
{
    [Fact]
    public async Task The_scheduled_minute_creates_one_incremental_job_which_the_worker_runs()
    {
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 23, 2, 29, 30, TimeSpan.Zero));
        await using var server = await RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Batch:Schedule"] = "30 2 * * *" }, services: s => s.AddSingleton<TimeProvider>(clock));
        using var admin = server.Client(server.AdminKey);

        await Task.Delay(2500);
        using (var before = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/assessments/jobs")))
        {
            Assert.Equal(0, before.RootElement.GetProperty("jobs").GetArrayLength());
        }

        clock.Now = new DateTimeOffset(2026, 11, 23, 2, 30, 5, TimeSpan.Zero);
        JsonElement job = default;
        for (int attempt = 0; attempt < 100; attempt++)
        {
            await Task.Delay(100);
            using var response = await admin.GetAsync("/api/v1/assessments/jobs/nightly-20261123T0230");
            if (!response.IsSuccessStatusCode)
            {
                continue;   // not created yet: the worker looks every two seconds
            }

            using var now = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            job = now.RootElement.GetProperty("job").Clone();
            if (job.GetProperty("status").GetString() == "succeeded")
            {
                break;
            }
        }

        Assert.Equal(("incremental", "schedule", "succeeded"), (job.GetProperty("kind").GetString(), job.GetProperty("requested_by").GetString(), job.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task A_time_zone_that_does_not_exist_stops_the_start_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<FormatException>(() => RunningServer.StartAsync(
            new Dictionary<string, string?> { ["Batch:Schedule"] = "0 2 * * *", ["Batch:TimeZone"] = "America/Springfield" }));
        Assert.Contains("Batch:TimeZone \"America/Springfield\"", error.Message, StringComparison.Ordinal);
    }

    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
