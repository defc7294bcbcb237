using Skillscope.Assessment.Feedback;

namespace Skillscope.Assessment.Exports;

/// <summary>The latest scores of many students, read a page of students at a time so an export of a district streams.</summary>
public interface IScoreExports
{
    /// <summary>
    /// The latest score of each skill of the next <paramref name="students"/> students matching <paramref name="filter"/>
    /// after <paramref name="afterStudent"/> (in id order), in student then skill order; each banded by its district's own
    /// bands where <paramref name="districtBands"/> has them, else by the installation's.
    /// </summary>
    Task<ScorePage> NextScoresAsync(ScoreExportFilter filter, string? afterStudent, int students, IReadOnlyDictionary<string, SkillBands> districtBands,
        CancellationToken cancellation = default);
}

/// <summary>One page of an export: its scores, and the last student it covered (null when the export is at its end).</summary>
public sealed record ScorePage(IReadOnlyList<ExportedScore> Scores, string? LastStudent);
