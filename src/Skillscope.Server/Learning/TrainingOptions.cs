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
    public int HoldoutPercent { get; set; } = 20;

    /// <summary>The fewest students with a rating of every skill a run trains on (the held-out ones not counted).</summary>
    public int MinimumStudents { get; set; } = 800;

    /// <summary>The share of scored rows a winning challenger scores again in the shadow.</summary>
    public int ShadowPercent { get; set; } = 100;

    public int Seed { get; set; } = 7;

    public string? Problem() =>
        HoldoutPercent is < 5 or > 50 ? $"{Section}:HoldoutPercent must be between 5 and 50 (it is {HoldoutPercent})"
        : MinimumStudents is < 200 or > 10_000_000 ? $"{Section}:MinimumStudents must be between 200 and 10,000,000 (it is {MinimumStudents})"
        : ShadowPercent is < 1 or > 100 ? $"{Section}:ShadowPercent must be between 1 and 100 (it is {ShadowPercent})"
        : null;
}
