using Skillscope.Scoring.Packages;

namespace Skillscope.Assessment.Features;

/// <summary>
/// Feature set 1: 26 numbers per student — 16 linguistic, 9 behavioral, 1 derived — in this order,
/// which is the column order of every skill model. docs/FEATURES.md is written from this list.
/// </summary>
public static class FeatureSet
{
    public const string Version = "1";

    public const int Count = 26;

    /// <summary>Words per 100 words: the unit of every marker rate.</summary>
    public const string Per100 = "per 100 words";

    public static IReadOnlyList<FeatureDefinition> Features { get; } =
    [
        new("utterance_count", "How much the student spoke or wrote", FeatureSource.Linguistic, "utterances", 0, 100_000, "Number of utterances attributed to the student."),
        new("words_per_utterance", "Length of contributions", FeatureSource.Linguistic, "words", 0, 500, "Mean words per utterance."),
        new("sentence_length", "Sentence length", FeatureSource.Linguistic, "words", 0, 200, "Mean words per sentence (sentences end at . ! ? or the end of an utterance)."),
        new("lexical_diversity", "Variety of vocabulary", FeatureSource.Linguistic, "ratio", 0, 1, "Distinct words ÷ words over the student's first 300 words (type-token ratio)."),
        new("sentiment_balance", "Overall tone", FeatureSource.Linguistic, "ratio", -1, 1, "(positive − negative) ÷ (positive + negative) emotion and evaluation words; 0 when there are none."),
        new("positive_emotion_rate", "Positive feelings expressed", FeatureSource.Linguistic, Per100, 0, 100, "Positive emotion words per 100 words."),
        new("negative_emotion_rate", "Negative feelings expressed", FeatureSource.Linguistic, Per100, 0, 100, "Negative emotion words per 100 words."),
        new("empathy_marker_rate", "Acknowledging others' feelings", FeatureSource.Linguistic, Per100, 0, 100, "Empathy markers (\"that must be hard\", \"are you okay\") per 100 words."),
        new("perspective_taking_rate", "Seeing others' points of view", FeatureSource.Linguistic, Per100, 0, 100, "Perspective-taking markers (\"in their shoes\", \"maybe they\") per 100 words."),
        new("question_rate", "Asking questions", FeatureSource.Linguistic, "share of utterances", 0, 1, "Share of utterances that ask a question."),
        new("first_person_plural_rate", "Speaking as a team (we, us, let's)", FeatureSource.Linguistic, Per100, 0, 100, "First-person plural words per 100 words."),
        new("hedging_rate", "Tentative language", FeatureSource.Linguistic, Per100, 0, 100, "Hedges (\"maybe\", \"I think\", \"kind of\") per 100 words."),
        new("cognitive_process_rate", "Reasoning words (because, if, figure out)", FeatureSource.Linguistic, Per100, 0, 100, "Cognitive-process words per 100 words."),
        new("future_tense_rate", "Talking about next steps", FeatureSource.Linguistic, Per100, 0, 100, "Future-oriented words and phrases per 100 words."),
        new("growth_language_rate", "Growth language (yet, practice, try again)", FeatureSource.Linguistic, Per100, 0, 100, "Growth-mindset words and phrases per 100 words."),
        new("turn_taking_rate", "Building on what peers said", FeatureSource.Linguistic, "share of utterances", 0, 1, "Share of utterances that take up a peer's contribution (\"I agree\", \"building on\")."),
        new("completion_rate", "Tasks completed", FeatureSource.Behavioral, "share of tasks started", 0, 1, "Tasks completed ÷ tasks started."),
        new("retry_after_failure_rate", "Trying again after failing", FeatureSource.Behavioral, "share of failures", 0, 1, "Retries ÷ failures (at most 1); missing when nothing failed."),
        new("time_on_task_minutes", "Time spent per task", FeatureSource.Behavioral, "minutes", 0, 600, "Mean minutes from starting a task to its last completion or failure."),
        new("help_seeking_rate", "Asking for help", FeatureSource.Behavioral, "requests per task", 0, 50, "Help requests per task started."),
        new("hint_use_rate", "Using hints", FeatureSource.Behavioral, "hints per task", 0, 50, "Hints used per task started."),
        new("persistence", "Finishing tasks after a setback", FeatureSource.Behavioral, "share of failed tasks", 0, 1, "Share of tasks with at least one failure that were completed in the end; missing when nothing failed."),
        new("collaboration_per_session", "Collaborating in activities", FeatureSource.Behavioral, "actions per session", 0, 1_000, "Collaboration actions per session."),
        new("response_latency_seconds", "Time taken to respond", FeatureSource.Behavioral, "seconds", 0, 3_600, "Median time to respond in activities."),
        new("session_count", "Activity sessions", FeatureSource.Behavioral, "sessions", 0, 100_000, "Number of distinct activity sessions."),
        new("engagement_index", "Overall engagement", FeatureSource.Derived, "index", 0, 1, "Mean of min(1, utterances ÷ 30), min(1, sessions ÷ 10) and the completion rate, over those present; missing when none is."),
    ];

    public static IReadOnlyList<string> Names { get; } = [.. Features.Select(f => f.Name)];

    /// <summary>The schema every skill model of this feature set is packaged with.</summary>
    public static FeatureSchema Schema(double minimumCoverage = 0) => new()
    {
        SchemaVersion = $"features-{Version}",
        Features = [.. Features.Select(f => new FeatureSpec(f.Name, f.Name is "utterance_count" or "session_count" ? "int" : "float", f.Minimum, f.Maximum, f.Label))],
        InvalidValues = InvalidValuePolicy.Clip,
        MinimumCoverage = minimumCoverage,
    };

    public static int IndexOf(string name)
    {
        for (int i = 0; i < Count; i++)
        {
            if (Features[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }
}
