using Skillscope.Assessment.Skills;

namespace Skillscope.Assessment.Fusion;

/// <summary>
/// Which features make each skill's linguistic and behavioral scores, and how each is normalised.
/// Centers are the median and scales the standard deviation of the feature over a generated reference
/// district (5,000 students, seed 11), rounded; docs/EVIDENCE.md lists them (a test keeps it in step).
/// A skill outside this table (an eighth skill added by configuration) fuses the ML score alone.
/// </summary>
public static class FusionIndicators
{
    private static readonly Indicator Collaborating = Indicator.ZScore("collaboration_per_session", 1, 1.2, 1.7);
    private static readonly Indicator GrowthLanguage = Indicator.ZScore("growth_language_rate", 1, 1.0, 2.1);
    private static readonly Indicator Retrying = Indicator.Share("retry_after_failure_rate", 1);
    private static readonly Indicator HelpSeeking = Indicator.ZScore("help_seeking_rate", 1, 0.16, 0.09);

    public static IReadOnlyDictionary<string, SkillIndicators> Default { get; } = new Dictionary<string, SkillIndicators>(StringComparer.Ordinal)
    {
        [SkillCatalog.Empathy] = new(
            [Indicator.ZScore("empathy_marker_rate", 1, 0.46, 1.2), Indicator.ZScore("perspective_taking_rate", 1, 0.58, 1.5)],
            [Collaborating]),
        [SkillCatalog.ProblemSolving] = new(
            [Indicator.ZScore("cognitive_process_rate", 1, 5.2, 2.6), Indicator.ZScore("question_rate", 1, 0.08, 0.09)],
            [Indicator.Share("completion_rate", 1), Indicator.ZScore("hint_use_rate", -1, 0.54, 0.46)]),
        [SkillCatalog.SelfRegulation] = new(
            [Indicator.ZScore("negative_emotion_rate", -1, 1.2, 1.8), Indicator.ZScore("sentiment_balance", 1, -0.29, 0.41)],
            [Indicator.ZScore("response_latency_seconds", 1, 5.0, 2.0), HelpSeeking with { Sign = -1 }]),
        [SkillCatalog.Resilience] = new(
            [GrowthLanguage, Indicator.ZScore("negative_emotion_rate", -1, 1.2, 1.8)],
            [Retrying, Indicator.Share("persistence", 1), Indicator.ZScore("time_on_task_minutes", 1, 5.5, 1.7)]),
        [SkillCatalog.Collaboration] = new(
            [Indicator.ZScore("first_person_plural_rate", 1, 3.0, 2.2), Indicator.ZScore("turn_taking_rate", 1, 0, 0.045)],
            [Collaborating]),
        [SkillCatalog.Communication] = new(
            [Indicator.ZScore("words_per_utterance", 1, 10.9, 3.7), Indicator.ZScore("utterance_count", 1, 20, 7.4), Indicator.ZScore("question_rate", 1, 0.08, 0.09)],
            [HelpSeeking]),
        [SkillCatalog.GrowthMindset] = new(
            [GrowthLanguage, Indicator.ZScore("future_tense_rate", 1, 1.5, 1.5)],
            [Retrying, Indicator.ZScore("session_count", 1, 9, 3.2)]),
    };
}

/// <summary>A skill's linguistic and behavioral indicators.</summary>
public sealed record SkillIndicators(IReadOnlyList<Indicator> Linguistic, IReadOnlyList<Indicator> Behavioral);
