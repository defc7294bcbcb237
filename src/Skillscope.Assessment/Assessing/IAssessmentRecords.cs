namespace Skillscope.Assessment.Assessing;

/// <summary>The assessments made outside a job, and every student's history of them.</summary>
public interface IAssessmentRecords
{
    /// <summary>Stores assessments made outside a job (one transaction); returns them with their ids.</summary>
    Task<IReadOnlyList<StudentAssessment>> SaveAssessmentsAsync(IReadOnlyList<StudentAssessment> assessments, CancellationToken cancellation = default);

    /// <summary>A student's assessments, newest first.</summary>
    Task<IReadOnlyList<StudentAssessment>> HistoryAsync(string studentId, int limit, CancellationToken cancellation = default);

    /// <summary>Rewrites a stored assessment's document (same id; its scores are unchanged).</summary>
    Task ReplaceAssessmentAsync(StudentAssessment assessment, CancellationToken cancellation = default);
}
