namespace Skillscope.Assessment.Exports;

/// <summary>The latest scores of many students, read a page at a time so an export of a district streams.</summary>
public interface IScoreExports
{
    /// <summary>
    /// The next <paramref name="limit"/> latest scores matching <paramref name="filter"/> after the position
    /// (<paramref name="afterStudent"/>, <paramref name="afterSkill"/>), in student id then skill order; fewer
    /// when the export is at its end.
    /// </summary>
    Task<IReadOnlyList<ExportedScore>> NextScoresAsync(ScoreExportFilter filter, string? afterStudent, string? afterSkill, int limit, CancellationToken cancellation = default);
}
