using System.Globalization;

namespace Skillscope.Server.Hosting;

/// <summary>
/// A five-field cron expression (minute hour day-of-month month day-of-week, in UTC): each field is
/// <c>*</c>, a number, a range <c>a-b</c>, a list <c>a,b</c> or a step <c>*/n</c> / <c>a-b/n</c>;
/// day of week 0–6 from Sunday (7 is Sunday too). As in cron, when both day fields are restricted,
/// either one matching is enough.
/// </summary>
public sealed class CronSchedule
{
    private readonly bool[] _minutes, _hours, _days, _months, _weekdays;
    private readonly bool _anyDay, _anyWeekday;

    private CronSchedule(string expression, bool[][] fields, bool anyDay, bool anyWeekday)
    {
        Expression = expression;
        (_minutes, _hours, _days, _months, _weekdays) = (fields[0], fields[1], fields[2], fields[3], fields[4]);
        (_anyDay, _anyWeekday) = (anyDay, anyWeekday);
    }

    public string Expression { get; }

    /// <summary>Parses an expression; throws <see cref="FormatException"/> naming the bad field.</summary>
    public static CronSchedule Parse(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var parts = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            throw new FormatException($"cron expression \"{expression}\" must have 5 fields (minute hour day month weekday)");
        }

        (string Name, int Min, int Max)[] ranges = [("minute", 0, 59), ("hour", 0, 23), ("day of month", 1, 31), ("month", 1, 12), ("day of week", 0, 7)];
        var fields = new bool[5][];
        for (int f = 0; f < 5; f++)
        {
            fields[f] = Field(parts[f], ranges[f].Name, ranges[f].Min, ranges[f].Max);
        }

        fields[4][0] |= fields[4][7];
        return new CronSchedule(expression, fields, parts[2] == "*", parts[4] == "*");
    }

    public bool Matches(DateTime utc)
    {
        if (!_minutes[utc.Minute] || !_hours[utc.Hour] || !_months[utc.Month])
        {
            return false;
        }

        bool day = _days[utc.Day], weekday = _weekdays[(int)utc.DayOfWeek];
        return _anyDay || _anyWeekday ? day && weekday : day || weekday;
    }

    /// <summary>The first matching minute strictly after <paramref name="after"/>, within four years.</summary>
    public DateTime? Next(DateTime after)
    {
        var at = new DateTime(after.Year, after.Month, after.Day, after.Hour, after.Minute, 0, DateTimeKind.Utc).AddMinutes(1);
        for (var end = at.AddYears(4); at < end; at = at.AddMinutes(1))
        {
            if (!_months[at.Month])
            {
                at = new DateTime(at.Year, at.Month, 1, 0, 0, 0, DateTimeKind.Utc).AddMonths(1).AddMinutes(-1);
                continue;
            }

            if (Matches(at))
            {
                return at;
            }
        }

        return null;
    }

    private static bool[] Field(string text, string name, int min, int max)
    {
        var allowed = new bool[max + 1];
        foreach (string item in text.Split(','))
        {
            string range = item;
            int step = 1;
            int slash = item.IndexOf('/', StringComparison.Ordinal);
            if (slash >= 0)
            {
                step = Number(item[(slash + 1)..], name, 1, max);
                range = item[..slash];
            }

            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.IndexOf('-', StringComparison.Ordinal) is int dash and > 0)
            {
                (from, to) = (Number(range[..dash], name, min, max), Number(range[(dash + 1)..], name, min, max));
                if (from > to)
                {
                    throw new FormatException($"cron {name} range \"{range}\" runs backwards");
                }
            }
            else
            {
                from = Number(range, name, min, max);
                to = slash >= 0 ? max : from;
            }

            for (int v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;
    }

    private static int Number(string text, string name, int min, int max) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new FormatException($"cron {name} \"{text}\" is not a number from {min} to {max}");
}
