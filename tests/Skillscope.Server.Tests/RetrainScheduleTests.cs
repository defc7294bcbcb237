using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Skillscope.Testing;
using Xunit;
using static Skillscope.Server.Tests.ProblemAssert;

namespace Skillscope.Server.Tests;

/// <summary>
/// <c>Training:Schedule</c> in a running server: at the scheduled minute a retraining run is recorded (here
/// refused: the installation has no rated students), visible through <c>GET /api/v1/retrain/runs</c>; a
/// schedule that cannot work stops the start, named.
/// </summary>
public sealed class RetrainScheduleTests
{
    [Fact]
    public async Task A_scheduled_run_is_recorded_once_with_its_outcome_and_listed()
    {
        var now = DateTimeOffset.UtcNow;
        var clock = new MovableClock(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 10, 0, TimeSpan.Zero));
        var due = clock.GetUtcNow().UtcDateTime.AddMinutes(1);
        due = due.AddTicks(-(due.Ticks % TimeSpan.TicksPerMinute)); // the next whole minute
        await using var server = await RunningServer.StartAsync(new Dictionary<string, string?>
        {
            ["Training:Schedule"] = $"{due.Minute} * * * *",
        }, services: s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock)));
        using var admin = server.Client(server.AdminKey);
        using (var none = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/retrain/runs")))
        {
            Assert.Empty(none.RootElement.GetProperty("runs").EnumerateArray());
        }

        clock.Advance(TimeSpan.FromMinutes(1));
        var deadline = DateTime.UtcNow.AddSeconds(60);
        JsonElement run;
        while (true)
        {
            using var runs = JsonDocument.Parse(await admin.GetStringAsync("/api/v1/retrain/runs"));
            var found = runs.RootElement.GetProperty("runs").EnumerateArray().ToArray();
            if (found.Length > 0 && found[0].GetProperty("status").GetString() != "running")
            {
                run = Assert.Single(found).Clone();
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "no scheduled run was recorded within 60 s");
            await Task.Delay(250);
        }

        Assert.Equal("refused", run.GetProperty("status").GetString());
        Assert.Equal("schedule", run.GetProperty("actor").GetString());
        Assert.Equal(due, run.GetProperty("scheduled_for").GetDateTime());
        Assert.Contains("too few rated students", run.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(await server.Store.ListAuditAsync(50), a => a.Action == "retrain.refused" && a.Actor == "schedule");
        await AssertProblem(await admin.GetAsync("/api/v1/retrain/runs?limit=0"), 400, "invalid_limit");
        using var service = server.Client(server.ServiceKey);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await service.GetAsync("/api/v1/retrain/runs")).StatusCode);
    }

    [Fact]
    public async Task A_schedule_that_cannot_work_stops_the_start_naming_it()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await RunningServer.StartAsync(new Dictionary<string, string?> { ["Training:Schedule"] = "every sunday" });
        });
        Assert.Contains("Training:Schedule \"every sunday\"", error.ToString(), StringComparison.Ordinal);
    }
}
