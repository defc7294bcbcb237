using Skillscope.Scoring.Serving;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Assessing students now from what is stored about them, and storing the result: the API's single and
/// batch assessments go through here; batch jobs commit chunk by chunk with their cursor instead.
/// </summary>
public sealed class StudentAssessmentService(StudentAssessor assessor, IAssessmentInputs inputs, IAssessmentRecords records)
{
    /// <summary>
    /// Assesses <paramref name="studentIds"/> from their stored evidence and stores the assessments, as
    /// they come back (with their ids); ids with no roster entry come back in <c>Unknown</c>.
    /// </summary>
    public async Task<(IReadOnlyList<StudentAssessment> Stored, IReadOnlyList<string> Unknown)> AssessAndSaveAsync(
        ModelCatalog models, IReadOnlyList<string> studentIds, IReadOnlyList<string>? skills, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(studentIds);
        if (studentIds.Count == 0)
        {
            return ([], []);
        }

        var evidence = await inputs.LoadAssessmentInputsAsync(studentIds, cancellation).ConfigureAwait(false);
        var found = evidence.Select(e => e.StudentId).ToHashSet(StringComparer.Ordinal);
        var assessments = await assessor.AddFeedbackAsync(assessor.Assess(models, evidence, skills, null), cancellation).ConfigureAwait(false);
        var unknown = studentIds.Where(id => !found.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        return (await records.SaveAssessmentsAsync(assessments, cancellation).ConfigureAwait(false), unknown);
    }
}
