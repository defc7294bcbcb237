namespace Skillscope.Scoring.Monitoring;

/// <summary>What became of an entity a model scored (did the lead convert?): its label, and when it was known.</summary>
public sealed record Outcome(string EntityId, double Label, DateTime At);

/// <summary>
/// An outcome matched, when it is recorded, with the score the entity had then and the version that gave it:
/// a later score (a rescore after the outcome, a rollback) never moves it to another version.
/// </summary>
public sealed record MatchedOutcome(string EntityId, string Version, float Score, double Label, DateTime At);

/// <summary>An outcome with the score it was matched with, and the version that gave it.</summary>
public sealed record ScoredOutcome(string Version, float Score, double Label);
