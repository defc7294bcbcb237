using System.Globalization;

namespace Skillscope.Storage;

/// <summary>Times as the tables store them: UTC, and milliseconds since the epoch where a column is an integer.</summary>
internal static class SqlTime
{
    public static DateTime Utc(DateTime at) => at.Kind switch
    {
        DateTimeKind.Utc => at,
        DateTimeKind.Local => at.ToUniversalTime(),
        _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
    };

    public static long ToMs(DateTime at) => new DateTimeOffset(Utc(at)).ToUnixTimeMilliseconds();

    public static DateTime FromMs(long ms) => DateTime.UnixEpoch.AddMilliseconds(ms);

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    public static string Ticks(DateTime at) => Utc(at).Ticks.ToString(CultureInfo.InvariantCulture);
}
