namespace Skillscope.Assessment.Assessing;

/// <summary>Teachers' answers to "Was this assessment accurate?".</summary>
public interface IAccuracyFeedbackStore
{
    /// <summary>Stores a teacher's accuracy feedback; returns it with its id.</summary>
    Task<AccuracyFeedback> AddAccuracyFeedbackAsync(AccuracyFeedback feedback, CancellationToken cancellation = default);

    /// <summary>The most recent accuracy feedback first; only about the students of <paramref name="districtId"/> when given.</summary>
    Task<IReadOnlyList<AccuracyFeedback>> ListAccuracyFeedbackAsync(int limit, string? districtId = null, CancellationToken cancellation = default);

    /// <summary>Each student's latest answer with the assessment it is about, oldest first: what weak labels are drawn from.</summary>
    Task<IReadOnlyList<(AccuracyFeedback Answer, StudentAssessment Assessment)>> AnsweredAssessmentsAsync(CancellationToken cancellation = default);

    /// <summary>The latest answer <paramref name="username"/> gave about assessment <paramref name="assessmentId"/>, or null.</summary>
    Task<AccuracyFeedback?> LatestAnswerAsync(long assessmentId, string username, CancellationToken cancellation = default);
}
