namespace Skillscope.Scoring.Alerts;

/// <summary>
/// Where one rule's alert on one subject stands, as stored (a subject in no state is ok):
/// <see cref="Pending"/> (at the threshold, waiting out the rule's for_minutes), <see cref="Firing"/>, or
/// <see cref="Resolving"/> (clear, waiting out clear_minutes; still firing to the outside).
/// <see cref="Since"/> is when it entered its status, <see cref="FiredAt"/> when it fired (null while
/// pending); <see cref="Revision"/> is bumped on every write: a replica writes only over the revision it read.
/// </summary>
public sealed record AlertState(string RuleId, string Subject, string Status, DateTime Since, DateTime? FiredAt, double Value, double Threshold,
    DateTime UpdatedAt, long Revision)
{
    public const string Pending = "pending";
    public const string Firing = "firing";
    public const string Resolving = "resolving";

    /// <summary>True while the alert counts as firing: fired and not yet resolved.</summary>
    public bool IsFiring => Status is Firing or Resolving;
}
