namespace Skillscope.Assessment.Assessing;

/// <summary>The scores recently made, summed up for the monitoring page.</summary>
public interface IScoreMonitor
{
    /// <summary>
    /// Scores, model versions, agreement with teacher ratings and feedback sources of the assessments made
    /// since a time — of the latest <paramref name="maxAssessments"/> at most, so its cost is bounded.
    /// </summary>
    Task<ScoreMonitoring> MonitorAsync(DateTime since, int maxAssessments, CancellationToken cancellation = default);
}
