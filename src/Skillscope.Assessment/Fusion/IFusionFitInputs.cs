namespace Skillscope.Assessment.Fusion;

/// <summary>What fusion weights are fitted to: each rated student's latest assessment, as stored.</summary>
public interface IFusionFitInputs
{
    /// <summary>
    /// By skill, the fusion components of that skill in the latest assessment of each student with a teacher
    /// rating in it, and the mean of those ratings. One read of the assessments for every skill. Only the students of
    /// <paramref name="districtId"/> when given.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<FusionSample>>> RatedSamplesAsync(string? districtId = null, CancellationToken cancellation = default);
}
