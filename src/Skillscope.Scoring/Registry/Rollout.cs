namespace Skillscope.Scoring.Registry;

/// <summary>
/// A challenger on its way to production, one stage at a time: <see cref="Shadow"/> (scoring the champion's
/// rows again, answering none), <see cref="Canary"/> (serving a guarded share of the traffic),
/// <see cref="AwaitingApproval"/> (ready; an admin promotes it), <see cref="Promoting"/> (the promotion claimed and
/// being made), then <see cref="Promoted"/>, or
/// <see cref="Stopped"/> with the reason. <see cref="Since"/> is when it entered its stage; <see cref="Run"/> the
/// retraining run that made it.
/// </summary>
public sealed record Rollout(string Model, string Version, string Champion, long? Run, string Stage, DateTime Since, string Reason, DateTime UpdatedAt)
{
    public const string Shadow = "shadow";
    public const string Canary = "canary";
    public const string AwaitingApproval = "awaiting_approval";
    public const string Promoting = "promoting";
    public const string Promoted = "promoted";
    public const string Stopped = "stopped";

    public bool IsActive => Stage is Shadow or Canary or AwaitingApproval or Promoting;
}
