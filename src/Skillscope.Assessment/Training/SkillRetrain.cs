namespace Skillscope.Assessment.Training;

/// <summary>
/// One skill in a retraining run: its model, the champion (the production version, null when there was none),
/// the challenger registered, their comparison on the held-out students, and the step taken for it
/// (<see cref="Shadow"/>, <see cref="Kept"/> or <see cref="NoChampion"/>).
/// </summary>
public sealed record SkillRetrain(string Skill, string Model, string? Champion, string Challenger, ChallengerVerdict? Comparison, string Step)
{
    /// <summary>The challenger scores in the champion's shadow (the next step of its rollout).</summary>
    public const string Shadow = "shadow";

    /// <summary>The champion stays; the challenger stays registered, with its report.</summary>
    public const string Kept = "kept";

    /// <summary>There was no production version to compare with: an admin promotes the first one.</summary>
    public const string NoChampion = "no_champion";
}
