using System.Globalization;
using System.Text;
using Skillscope.Assessment.Roster;
using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Exports;

/// <summary>
/// Writes the latest scores matching a filter as CSV or JSON Lines, a page of rows at a time, so a
/// district's export streams in flat memory whatever its size (the API and <c>skillscope export scores</c>).
/// </summary>
public static class ScoreExport
{
    /// <summary>What a <c>since</c> filter may be, as a refusal says it.</summary>
    public const string SinceForms = "a date (2026-09-01) or a date and time with its offset (2026-09-01T08:00:00Z)";

    /// <summary>Students read and written per page (up to seven rows each).</summary>
    public const int PageStudents = 1_000;

    /// <summary>Writes every matching score to <paramref name="writer"/>, flushing it after each page; returns the rows written.</summary>
    public static async Task<long> WriteAsync(IScoreExports exports, ScoreExportFilter filter, ScoreExportFormat format, TextWriter writer,
        IReadOnlyDictionary<string, SkillBands> districtBands, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(exports);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(writer);
        var text = new StringBuilder(format.Header, 1 << 20);
        string? afterStudent = null;
        long rows = 0;
        while (true)
        {
            var page = await exports.NextScoresAsync(filter, afterStudent, PageStudents, districtBands, cancellation).ConfigureAwait(false);
            foreach (var score in page.Scores)
            {
                format.Append(text, score);
            }

            await writer.WriteAsync(text, cancellation).ConfigureAwait(false);
            await writer.FlushAsync(cancellation).ConfigureAwait(false);
            text.Clear();
            rows += page.Scores.Count;
            if (page.LastStudent is null)
            {
                return rows;
            }

            afterStudent = page.LastStudent;
        }
    }

    /// <summary>The first district, school or class <paramref name="filter"/> names that its scope does not reach, or null when it reaches each.</summary>
    public static async Task<(RosterLevel Level, string Id)?> OutOfReachAsync(IRosterDirectory roster, ScoreExportFilter filter, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(roster);
        ArgumentNullException.ThrowIfNull(filter);
        foreach (var (level, id) in new[] { (RosterLevel.District, filter.DistrictId), (RosterLevel.School, filter.SchoolId), (RosterLevel.Class, filter.ClassId) })
        {
            if (id is not null && !await roster.ReachesAsync(level, id, filter.Scope, cancellation).ConfigureAwait(false))
            {
                return (level, id);
            }
        }

        return null;
    }

    /// <summary>
    /// Reads a <c>since</c> filter: a date (<c>2026-09-01</c>, from its start in UTC) or a date and time with
    /// an offset or <c>Z</c>; null when it is neither.
    /// </summary>
    public static DateTime? ParseSince(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return day;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment) && HasOffset(text) ? moment.UtcDateTime : null;
    }

    // A time without an offset would be read in the server's zone: refused rather than guessed.
    private static bool HasOffset(string text) => text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
