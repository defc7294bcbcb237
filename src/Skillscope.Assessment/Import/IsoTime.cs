namespace Skillscope.Assessment.Import;

/// <summary>
/// The common shape of an evidence time, <c>2026-09-14T10:30:00Z</c> with up to seven fraction digits
/// and <c>Z</c> or a <c>±hh:mm</c> offset, read directly. The general parser took a third of an event
/// row's parsing; every other form still goes to it, and both give the same instant.
/// </summary>
internal static class IsoTime
{
    /// <summary>The instant as UTC, or false when the text is not in the common shape (not that it is invalid).</summary>
    public static bool TryParseCommon(ReadOnlySpan<char> text, out DateTime utc)
    {
        utc = default;
        if (text.Length < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':'
            || !Digits(text, 0, 4, out int year) || !Digits(text, 5, 2, out int month) || !Digits(text, 8, 2, out int day)
            || !Digits(text, 11, 2, out int hour) || !Digits(text, 14, 2, out int minute) || !Digits(text, 17, 2, out int second))
        {
            return false;
        }

        int at = 19;
        long fraction = 0;
        if (text[at] == '.')
        {
            int digits = 0;
            at++;
            while (at < text.Length && char.IsAsciiDigit(text[at]))
            {
                if (++digits > 7)
                {
                    return false;
                }

                fraction = fraction * 10 + (text[at++] - '0');
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 7; digits++)
            {
                fraction *= 10;
            }
        }

        long offsetTicks;
        if (at == text.Length - 1 && text[at] == 'Z')
        {
            offsetTicks = 0;
        }
        else if (at == text.Length - 6 && text[at] is '+' or '-' && text[at + 3] == ':'
            && Digits(text, at + 1, 2, out int offsetHours) && Digits(text, at + 4, 2, out int offsetMinutes) && (offsetHours < 14 ? offsetMinutes < 60 : offsetHours == 14 && offsetMinutes == 0))
        {
            offsetTicks = (offsetHours * TimeSpan.TicksPerHour + offsetMinutes * TimeSpan.TicksPerMinute) * (text[at] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        long ticks = new DateTime(year, month, day, hour, minute, second).Ticks + fraction - offsetTicks;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        utc = new DateTime(ticks, DateTimeKind.Utc);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, int start, int count, out int value)
    {
        value = 0;
        for (int i = start; i < start + count; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                return false;
            }

            value = value * 10 + (text[i] - '0');
        }

        return true;
    }
}
