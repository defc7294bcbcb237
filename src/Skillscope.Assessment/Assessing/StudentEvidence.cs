using Skillscope.Assessment.Evidence;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Everything stored about one student that feature extraction reads, with its evidence version — or,
/// when <see cref="Features"/> is set, the features already extracted from exactly that evidence
/// (then the utterance and event lists are empty: there is no need to read them).
/// </summary>
public sealed record StudentEvidence(string StudentId, long EvidenceVersion, IReadOnlyList<Utterance> Utterances, IReadOnlyList<BehaviorEvent> Events)
{
    public Features.StudentFeatures? Features { get; init; }

    /// <summary>The student's district (through class and school), when the roster has one: whose fusion weights apply.</summary>
    public string? DistrictId { get; init; }
}
