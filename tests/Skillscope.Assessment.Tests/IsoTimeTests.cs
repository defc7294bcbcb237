using System.Globalization;
using Skillscope.Assessment.Import;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>The fast path for evidence times gives the instant the general parser gives, and leaves every other form to it.</summary>
public sealed class IsoTimeTests
{
    [Theory]
    [InlineData("2026-09-14T10:30:00Z")]
    [InlineData("2026-09-08T19:39:32.1347087Z")]
    [InlineData("2026-09-08T19:39:32.1Z")]
    [InlineData("2024-02-29T23:59:59.9999999Z")]
    [InlineData("2026-09-14T10:30:00+02:00")]
    [InlineData("2026-09-14T01:30:00-05:30")]
    [InlineData("2026-09-14T23:30:00+14:00")]
    [InlineData("0001-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59.9999999Z")]
    public void The_common_shape_reads_as_the_general_parser_reads_it(string text)
    {
        Assert.True(IsoTime.TryParseCommon(text, out var fast));
        Assert.Equal(DateTimeKind.Utc, fast.Kind);
        Assert.Equal(General(text), fast);
    }

    [Theory]
    [InlineData("2026-09-14 10:30:00Z")]
    [InlineData("2026-09-14T10:30:00")]
    [InlineData("2026-09-14T10:30Z")]
    [InlineData("2026-09-14T10:30:00.Z")]
    [InlineData("2026-09-14T10:30:00.12345678Z")]
    [InlineData("2026-02-30T10:30:00Z")]
    [InlineData("2026-09-14T24:00:00Z")]
    [InlineData("2026-09-14T10:30:60Z")]
    [InlineData("2026-09-14T10:30:00+15:00")]
    [InlineData("2026-09-14T10:30:00+14:30")]
    [InlineData("0001-01-01T00:00:00+01:00")]
    [InlineData("yesterday at noon..")]
    [InlineData("２０２６-09-14T10:30:00Z")]
    public void Other_forms_are_left_to_the_general_parser(string text) => Assert.False(IsoTime.TryParseCommon(text, out _));

    [Fact]
    public void Random_times_agree_with_the_general_parser()
    {
        var random = new Random(3);
        for (int i = 0; i < 20_000; i++)
        {
            var at = new DateTime(random.NextInt64(new DateTime(1900, 1, 1).Ticks, new DateTime(2200, 1, 1).Ticks), DateTimeKind.Utc);
            int digits = random.Next(8);
            string fraction = digits == 0 ? "" : "." + at.ToString("fffffff", CultureInfo.InvariantCulture)[..digits];
            int offsetMinutes = random.Next(3) == 0 ? 0 : random.Next(-14 * 60, 14 * 60 + 1);
            var local = at.AddMinutes(offsetMinutes);
            string zone = offsetMinutes == 0 && random.Next(2) == 0 ? "Z"
                : $"{(offsetMinutes < 0 ? '-' : '+')}{Math.Abs(offsetMinutes) / 60:00}:{Math.Abs(offsetMinutes) % 60:00}";
            string text = local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + zone;
            Assert.True(IsoTime.TryParseCommon(text, out var fast), text);
            Assert.Equal(General(text), fast);
        }
    }

    private static DateTime General(string text)
    {
        Assert.True(DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at));
        return DateTime.SpecifyKind(at, DateTimeKind.Utc);
    }
}
