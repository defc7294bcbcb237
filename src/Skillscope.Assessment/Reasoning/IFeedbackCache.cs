namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// LLM feedback kept by a hash of what was sent (redacted evidence, prompt version, model), so the same
/// evidence is not paid for twice. Entries expire; an expired entry is a miss.
/// </summary>
public interface IFeedbackCache
{
    /// <summary>The stored feedback JSON under <paramref name="key"/> if it has not expired at <paramref name="now"/>.</summary>
    Task<string?> GetFeedbackAsync(string key, DateTime now, CancellationToken cancellation = default);

    /// <summary>
    /// Stores (or replaces) the feedback JSON under <paramref name="key"/> until <paramref name="expiresAt"/>,
    /// noting the student whose evidence it was written from (so that erasing them removes it).
    /// </summary>
    Task PutFeedbackAsync(string key, string feedbackJson, DateTime expiresAt, string studentId, CancellationToken cancellation = default);

    /// <summary>Names of every student and teacher in the roster, for redaction.</summary>
    Task<IReadOnlyList<string>> RosterNamesAsync(CancellationToken cancellation = default);
}
