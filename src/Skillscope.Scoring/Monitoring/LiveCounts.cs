namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// Rows scored in one hour by one process, counted in a reference profile's bins (every feature's slots,
/// then the score's): what a replica writes, and what a window sums to.
/// </summary>
/// <param name="HourStart">The hour's start (UTC).</param>
/// <param name="Rows">Rows counted.</param>
/// <param name="Counts">Counts per slot, laid out as <see cref="ReferenceProfile.Slots"/>.</param>
public sealed record LiveCounts(DateTime HourStart, long Rows, long[] Counts)
{
    /// <summary>The start (UTC) of the hour <paramref name="at"/> falls in: the one bucket every writer and reader counts by.</summary>
    public static DateTime HourOf(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);
    }
}
