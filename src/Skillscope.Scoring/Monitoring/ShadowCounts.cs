namespace Skillscope.Scoring.Monitoring;

/// <summary>
/// One process's comparison, in one hour, of a model's shadow candidate with the version that served: what
/// a replica writes, and what a report sums. <see cref="Samples"/> holds up to
/// <see cref="ShadowRunner.SamplesPerHour"/> pairs (served score, candidate score), interleaved, drawn evenly
/// from the hour's rows, for the rank correlation.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="Candidate">The candidate version.</param>
/// <param name="Served">The version that answered.</param>
/// <param name="HourStart">The hour's start (UTC).</param>
/// <param name="Rows">Rows both scored.</param>
/// <param name="Failures">Rows the candidate failed on (never seen by the caller).</param>
/// <param name="Dropped">Rows not shadowed because the candidate fell behind (the queue was full).</param>
/// <param name="AbsoluteDifference">Sum over rows and outputs of |served − candidate|.</param>
/// <param name="BandChanges">Rows whose band (or class) differs between the two.</param>
/// <param name="ServedNanoseconds">Time the served version spent on these rows.</param>
/// <param name="CandidateNanoseconds">Time the candidate spent on them.</param>
/// <param name="LastFailure">Why the candidate last failed, if it did.</param>
/// <param name="Samples">Pairs of first outputs, interleaved.</param>
public sealed record ShadowCounts(
    string Model, string Candidate, string Served, DateTime HourStart, long Rows, long Failures, long Dropped, double AbsoluteDifference, long BandChanges,
    long ServedNanoseconds, long CandidateNanoseconds, string? LastFailure, float[] Samples);
