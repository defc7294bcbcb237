using Cronos;

namespace Skillscope.Server.Hosting;

/// <summary>
/// When the nightly job runs: a cron expression (Cronos: five fields, minute to day of week; names such as
/// <c>mon</c>; <c>L</c>, <c>W</c> and <c>#</c>; no seconds, as a job is named by its minute) read in a time zone, so a district's night stays at its local
/// hour across daylight-saving changes (a skipped hour runs once when the clocks jump, a repeated one
/// once, not twice).
/// </summary>
public sealed class CronSchedule
{
    private readonly CronExpression _expression;

    private CronSchedule(string expression, CronExpression parsed, TimeZoneInfo zone)
    {
        (Expression, _expression, Zone) = (expression, parsed, zone);
    }

    public string Expression { get; }

    public TimeZoneInfo Zone { get; }

    /// <summary>Parses an expression and a time zone (an IANA id such as <c>America/Chicago</c>, or <c>UTC</c>), the settings of <paramref name="section"/>.</summary>
    /// <exception cref="FormatException">Either cannot be used; the message names the setting.</exception>
    public static CronSchedule Parse(string expression, string timeZone, string section = BatchOptions.Section)
    {
        ArgumentNullException.ThrowIfNull(expression);
        ArgumentNullException.ThrowIfNull(timeZone);
        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(expression.Trim(), CronFormat.Standard);
        }
        catch (CronFormatException exception)
        {
            throw new FormatException($"{section}:Schedule \"{expression}\" is not a cron expression (minute hour day month weekday): {exception.Message}", exception);
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        }
        // SecurityException and IOException too: an id naming a directory of the zone database ("America").
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException or IOException or ArgumentException)
        {
            throw new FormatException($"{section}:TimeZone \"{timeZone}\" is not a known time zone; use an IANA id such as America/Chicago, or UTC", exception);
        }

        return new CronSchedule(expression, parsed, zone);
    }

    /// <summary>The first run strictly after <paramref name="afterUtc"/>, in UTC; null when the expression never matches again.</summary>
    public DateTime? Next(DateTime afterUtc) =>
        _expression.GetNextOccurrence(DateTime.SpecifyKind(afterUtc, DateTimeKind.Utc), Zone);
}
