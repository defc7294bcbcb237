using Skillscope.Assessment.Roster;

namespace Skillscope.Assessment.Assessing;

/// <summary>What assessing and training read: each student's current features or evidence, and the teachers' ratings.</summary>
public interface IAssessmentInputs
{
    /// <summary>
    /// What assessing these students needs: their features kept from the last import when they are
    /// current (same feature set, same evidence version), otherwise their evidence. Unknown ids are left out.
    /// </summary>
    Task<IReadOnlyList<StudentEvidence>> LoadAssessmentInputsAsync(IReadOnlyList<string> studentIds, CancellationToken cancellation = default);

    /// <summary>Every stored teacher rating, for training and validation.</summary>
    Task<IReadOnlyList<TeacherRating>> LoadRatingsAsync(CancellationToken cancellation = default);
}
