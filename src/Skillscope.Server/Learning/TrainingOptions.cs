using Skillscope.Server.Hosting;

namespace Skillscope.Server.Learning;

/// <summary>
/// <c>Training</c>: when the skill models are retrained on their own (cron in a time zone, or <c>off</c>, the
/// default), which share of rated students is held out to judge challengers, how few students a run refuses
/// to train on, and how much of the scored traffic a winning challenger shadows.
/// </summary>
internal sealed class TrainingOptions : ISettings
{
    public const string Section = "Training";

    public string Schedule { get; set; } = "off";

    public string TimeZone { get; set; } = "UTC";

    /// <summary>Percent of rated students (by a hash of their id, the same every run) held out to compare challenger and champion.</summary>
    public int HoldoutPercent { get; set; } = Assessment.Training.RetrainHoldout.DefaultPercent;

    /// <summary>The fewest students with a rating of every skill a run trains on (the held-out ones not counted).</summary>
    public int MinimumStudents { get; set; } = 800;

    /// <summary>The share of scored rows a winning challenger scores again in the shadow.</summary>
    public int ShadowPercent { get; set; } = 100;

    public int Seed { get; set; } = 7;

    /// <summary>Hours a challenger shadows its champion before it may serve a canary share.</summary>
    public double ShadowHours { get; set; } = 24;

    /// <summary>Shadowed rows needed before the canary (and the most of them that may fail: <see cref="MaxShadowFailureShare"/>).</summary>
    public int MinimumShadowRows { get; set; } = 1_000;

    public double MaxShadowFailureShare { get; set; } = 0.01;

    /// <summary>The share of the traffic the canary serves, guarded.</summary>
    public int CanaryPercent { get; set; } = 10;

    /// <summary>The canary's guard: the share of its scoring calls that may fail before it is set back.</summary>
    public double CanaryMaxErrorRate { get; set; } = 0.02;

    /// <summary>Hours the canary serves before promotion, and the scoring calls it must have answered.</summary>
    public double CanaryHours { get; set; } = 24;

    public int MinimumCanaryCalls { get; set; } = 100;

    /// <summary>Whether an admin approves each promotion (on by default): a ready challenger waits for <c>POST /api/v1/retrain/rollouts/{model}/approve</c>.</summary>
    public bool RequireApproval { get; set; } = true;

    /// <summary>Seconds between checks of the rollouts under way.</summary>
    public double RolloutCheckSeconds { get; set; } = 60;

    public string? Problem() =>
        HoldoutPercent is < 5 or > 50 ? $"{Section}:HoldoutPercent must be between 5 and 50 (it is {HoldoutPercent})"
        : MinimumStudents is < 200 or > 10_000_000 ? $"{Section}:MinimumStudents must be between 200 and 10,000,000 (it is {MinimumStudents})"
        : ShadowPercent is < 1 or > 100 ? $"{Section}:ShadowPercent must be between 1 and 100 (it is {ShadowPercent})"
        : !(ShadowHours is >= 0 and <= 24 * 90) ? $"{Section}:ShadowHours must be between 0 and 2160 (it is {ShadowHours})"
        : MinimumShadowRows < 1 ? $"{Section}:MinimumShadowRows must be 1 or more (it is {MinimumShadowRows})"
        : !(MaxShadowFailureShare is >= 0 and <= 1) ? $"{Section}:MaxShadowFailureShare must be between 0 and 1 (it is {MaxShadowFailureShare})"
        : CanaryPercent is < 1 or > 50 ? $"{Section}:CanaryPercent must be between 1 and 50 (it is {CanaryPercent})"
        : !(CanaryMaxErrorRate is >= 0 and <= 1) ? $"{Section}:CanaryMaxErrorRate must be between 0 and 1 (it is {CanaryMaxErrorRate})"
        : !(CanaryHours is >= 0 and <= 24 * 90) ? $"{Section}:CanaryHours must be between 0 and 2160 (it is {CanaryHours})"
        : MinimumCanaryCalls < 1 ? $"{Section}:MinimumCanaryCalls must be 1 or more (it is {MinimumCanaryCalls})"
        : !(RolloutCheckSeconds is >= 0.1 and <= 3600) ? $"{Section}:RolloutCheckSeconds must be between 0.1 and 3600 (it is {RolloutCheckSeconds})"
        : null;
}
