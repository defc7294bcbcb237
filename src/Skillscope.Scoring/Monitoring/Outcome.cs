namespace Skillscope.Scoring.Monitoring;

/// <summary>What became of an entity a model scored (did the lead convert?): its label, and when it was known.</summary>
public sealed record Outcome(string EntityId, double Label, DateTime At);

/// <summary>An outcome matched with the score the entity last got, and the version that gave it.</summary>
public sealed record ScoredOutcome(string Version, float Score, double Label);
