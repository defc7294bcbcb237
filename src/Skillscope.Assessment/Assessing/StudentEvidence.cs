using Skillscope.Assessment.Evidence;

namespace Skillscope.Assessment.Assessing;

/// <summary>Everything stored about one student that feature extraction reads, with its evidence version.</summary>
public sealed record StudentEvidence(string StudentId, long EvidenceVersion, IReadOnlyList<Utterance> Utterances, IReadOnlyList<BehaviorEvent> Events);
