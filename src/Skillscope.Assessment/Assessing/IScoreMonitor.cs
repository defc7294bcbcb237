namespace Skillscope.Assessment.Assessing;

/// <summary>The scores recently made, summed up for the monitoring page.</summary>
public interface IScoreMonitor
{
    /// <summary>
    /// Scores, model versions, agreement with teacher ratings and feedback sources of the assessments made
    /// since a time — of the latest <paramref name="maxAssessments"/> at most, so its cost is bounded.
    /// </summary>
    Task<ScoreMonitoring> MonitorAsync(DateTime since, int maxAssessments, CancellationToken cancellation = default);

    /// <summary>
    /// The latest <paramref name="max"/> scores of <paramref name="skill"/> made since a time whose student has
    /// teacher ratings in it: each with the model version that made it and the student's mean rating.
    /// </summary>
    Task<IReadOnlyList<RatedScore>> RatedScoresAsync(string skill, DateTime since, int max, CancellationToken cancellation = default);
}
