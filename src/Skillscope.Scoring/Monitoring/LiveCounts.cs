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
    /// <summary>
    /// Rows per twentieth of feature coverage (the share of a row's features present): slot k holds rows
    /// whose coverage is at least k/20 and below (k + 1)/20, the last also those with every feature. Empty
    /// for counts written before coverage was counted.
    /// </summary>
    public long[] Coverage { get; init; } = [];

    /// <summary>Slots of <see cref="Coverage"/>.</summary>
    public const int CoverageSlots = 20;

    /// <summary>The coverage slot of a row with <paramref name="present"/> of <paramref name="features"/> features: exact integer arithmetic, so a threshold of k/20 splits the slots exactly.</summary>
    public static int CoverageSlotOf(int present, int features) =>
        features == 0 ? CoverageSlots - 1 : Math.Min(CoverageSlots - 1, present * CoverageSlots / features);

    /// <summary>The start (UTC) of the hour <paramref name="at"/> falls in: the one bucket every writer and reader counts by.</summary>
    public static DateTime HourOf(DateTime at)
    {
        var utc = at.Kind == DateTimeKind.Local ? at.ToUniversalTime() : at;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerHour), DateTimeKind.Utc);
    }
}
