namespace Skillscope.Assessment.Fusion;

/// <summary>
/// Where the fusion weights in force come from: a JSON file on one machine (<see cref="FusionWeightsFile"/>)
/// or versioned rows in a database that several replicas share (<see cref="FusionWeightsTable"/>).
/// </summary>
public interface IFusionWeightsSource : IDisposable
{
    /// <summary>Weights in force now.</summary>
    FusionWeights Current { get; }

    /// <summary>Why the last change found in the source was not applied, while it still is not; null when the source is what is in force.</summary>
    string? ReloadError { get; }

    /// <summary>Where the weights are kept, for people (a file's path, or the database table).</summary>
    string Location { get; }

    /// <summary>Re-reads the source now; throws <see cref="FusionWeightsException"/> (keeping the weights in force) when what it holds is invalid.</summary>
    Task<FusionWeights> ReloadAsync(string actor, CancellationToken cancellation = default);

    /// <summary>
    /// Applies new weights for some skills as the next version — validated, stored, swapped in and audited —
    /// or, when anything is invalid, nothing. With <paramref name="basedOn"/>, refused (<c>version_conflict</c>)
    /// unless that is still the version in force.
    /// </summary>
    Task<FusionWeights> UpdateAsync(IReadOnlyDictionary<string, SkillWeights> changes, string actor, long? basedOn = null, CancellationToken cancellation = default);
}
