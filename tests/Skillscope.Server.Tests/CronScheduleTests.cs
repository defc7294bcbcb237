using Skillscope.Server.Hosting;
using Xunit;

namespace Skillscope.Server.Tests;

public sealed class CronScheduleTests
{
    private static readonly DateTime Monday = new(2026, 11, 23, 1, 30, 0, DateTimeKind.Utc);

    [Theory]
    [InlineData("0 2 * * *", "2026-11-23T02:00")]
    [InlineData("*/15 * * * *", "2026-11-23T01:45")]
    [InlineData("30 9-17/4 * * 1-5", "2026-11-23T09:30")]
    [InlineData("0 0 1 * *", "2026-12-01T00:00")]
    [InlineData("0 3 * * 0", "2026-11-29T03:00")]
    [InlineData("0 3 * * 7", "2026-11-29T03:00")]
    [InlineData("0 12 15 * 3", "2026-11-25T12:00")]
    [InlineData("0 6 29 2 *", "2028-02-29T06:00")]
    public void The_next_run_is_the_first_matching_minute_after_now(string expression, string expected)
    {
        var next = CronSchedule.Parse(expression).Next(Monday);
        Assert.Equal(expected, next!.Value.ToString("yyyy-MM-ddTHH:mm", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("0 2 * *", "5 fields")]
    [InlineData("60 2 * * *", "minute \"60\"")]
    [InlineData("0 2 * 13 *", "month \"13\"")]
    [InlineData("0 5-2 * * *", "runs backwards")]
    [InlineData("0 2 * * mon", "day of week \"mon\"")]
    public void Bad_expressions_are_refused_naming_the_field(string expression, string message)
    {
        var error = Assert.Throws<FormatException>(() => CronSchedule.Parse(expression));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
