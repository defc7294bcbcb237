namespace Skillscope.Scoring.Serving;

/// <summary>Why one item could not be scored, with a stable code.</summary>
public sealed record ItemProblem(string Code, string Message);
