using System.Globalization;
using Skillscope.Server.Hosting;
using Xunit;

namespace Skillscope.Server.Tests;

/// <summary>The nightly schedule: cron read in the district's time zone (Cronos), and settings that cannot work refused by name.</summary>
public sealed class CronScheduleTests
{
    private static readonly DateTime Monday = new(2026, 11, 23, 1, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("0 2 * * *", "UTC", "2026-11-23T02:00")]
    [InlineData("*/15 * * * *", "UTC", "2026-11-23T01:45")]
    [InlineData("30 9-17/4 * * 1-5", "UTC", "2026-11-23T09:30")]
    [InlineData("0 0 1 * *", "UTC", "2026-12-01T00:00")]
    [InlineData("0 3 * * 0", "UTC", "2026-11-29T03:00")]
    [InlineData("0 3 * * 7", "UTC", "2026-11-29T03:00")]
    [InlineData("0 3 * * sun", "UTC", "2026-11-29T03:00")]
    [InlineData("0 6 29 2 *", "UTC", "2028-02-29T06:00")]
    // 2 a.m. in Chicago is 08:00 UTC in winter (CST, UTC−6) and 07:00 in summer (CDT, UTC−5).
    [InlineData("0 2 * * *", "America/Chicago", "2026-11-23T08:00")]
    [InlineData("0 2 1 7 *", "America/Chicago", "2027-07-01T07:00")]
    [InlineData("0 2 * * *", "Europe/Berlin", "2026-11-24T01:00")]
    public void The_next_run_is_the_first_matching_minute_after_now_in_the_time_zone(string expression, string zone, string expectedUtc)
    {
        var next = CronSchedule.Parse(expression, zone).Next(Monday);
        Assert.Equal(expectedUtc, next!.Value.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        Assert.Equal(DateTimeKind.Utc, next.Value.Kind);
    }

    [Fact]
    public void A_night_in_an_hour_the_clocks_skip_runs_once_when_they_jump_and_a_repeated_hour_runs_once()
    {
        // 2026-03-08: Chicago jumps from 02:00 to 03:00 CDT; 2026-11-01 it falls back from 02:00 to 01:00 CST.
        var spring = CronSchedule.Parse("30 2 * * *", "America/Chicago");
        Assert.Equal(new DateTime(2026, 3, 8, 8, 0, 0, DateTimeKind.Utc), spring.Next(new DateTime(2026, 3, 8, 0, 0, 0, DateTimeKind.Utc)));

        var autumn = CronSchedule.Parse("30 1 * * *", "America/Chicago");
        var first = autumn.Next(new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc))!.Value;
        Assert.Equal(new DateTime(2026, 11, 1, 6, 30, 0, DateTimeKind.Utc), first);
        Assert.Equal(new DateTime(2026, 11, 2, 7, 30, 0, DateTimeKind.Utc), autumn.Next(first));
    }

    [Theory]
    [InlineData("0 2 * *", "UTC", "Batch:Schedule \"0 2 * *\"")]
    [InlineData("60 2 * * *", "UTC", "Batch:Schedule \"60 2 * * *\"")]
    [InlineData("0 2 * 13 *", "UTC", "Batch:Schedule")]
    [InlineData("0 2 * * funday", "UTC", "Batch:Schedule")]
    [InlineData("0 2 * * *", "Mars/Olympus_Mons", "Batch:TimeZone \"Mars/Olympus_Mons\"")]
    [InlineData("0 2 * * *", "America", "Batch:TimeZone \"America\"")]
    [InlineData("0 0 2 * * *", "UTC", "Batch:Schedule")]
    public void Settings_that_cannot_work_are_refused_naming_the_setting(string expression, string zone, string message)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression, zone));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
