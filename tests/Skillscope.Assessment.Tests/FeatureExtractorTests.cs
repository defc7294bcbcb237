using Skillscope.Assessment.Evidence;
using Skillscope.Assessment.Features;
using Xunit;

namespace Skillscope.Assessment.Tests;

/// <summary>Feature set 1 computed by hand on small transcripts and event logs.</summary>
public sealed class FeatureExtractorTests
{
    private static readonly DateTime T0 = new(2026, 10, 1, 9, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Linguistic_features_count_words_sentences_and_markers()
    {
        var features = new FeatureExtractor().Extract(
        [
            Say("I agree with Maya. We should check it again because it might be wrong?"),
            Say("That must be hard for you. I’m so happy we finished!"),
        ], []);

        // 14 + 11 words; 2 + 2 sentences.
        Assert.Equal(2, features["utterance_count"]);
        Assert.Equal(12.5f, features["words_per_utterance"]);
        Assert.Equal(6.25f, features["sentence_length"]);
        Assert.Equal(0.5f, features["question_rate"]);
        Assert.Equal(0.5f, features["turn_taking_rate"]);
        Assert.Equal(100f * 1 / 25, features["empathy_marker_rate"], 4);          // "that must"
        Assert.Equal(100f * 2 / 25, features["first_person_plural_rate"], 4);     // we, we
        Assert.Equal(100f * 1 / 25, features["hedging_rate"], 4);                 // might
        Assert.Equal(100f * 2 / 25, features["cognitive_process_rate"], 4);       // check, because
        Assert.Equal(100f * 1 / 25, features["positive_emotion_rate"], 4);        // happy
        Assert.Equal(-1f / 3, features["sentiment_balance"], 5);                  // happy vs wrong + hard
        Assert.Equal("That must be hard for you.", features.Exemplars["empathy_marker_rate"]);
        Assert.Equal("We should check it again because it might be wrong?", features.Exemplars["question_rate"]);
        Assert.True(float.IsNaN(features["completion_rate"]));
    }

    [Fact]
    public void Behavioral_features_follow_tasks_failures_and_sessions()
    {
        var features = new FeatureExtractor().Extract([],
        [
            Do("s1", 0, BehaviorKinds.TaskStarted, "a"),
            Do("s1", 4, BehaviorKinds.TaskFailed, "a"),
            Do("s1", 5, BehaviorKinds.Retry, "a"),
            Do("s1", 10, BehaviorKinds.TaskCompleted, "a"),
            Do("s1", 11, BehaviorKinds.TaskStarted, "b"),
            Do("s1", 12, BehaviorKinds.HintUsed, "b"),
            Do("s1", 13, BehaviorKinds.Response, "b", 3000),
            Do("s2", 0, BehaviorKinds.TaskStarted, "a"),
            Do("s2", 2, BehaviorKinds.TaskFailed, "a"),
            Do("s2", 3, BehaviorKinds.CollaborationAction),
            Do("s2", 4, BehaviorKinds.HelpRequested, "a"),
            Do("s2", 5, BehaviorKinds.Response, "a", 5000),
        ]);

        Assert.Equal(1f / 3, features["completion_rate"], 5);
        Assert.Equal(0.5f, features["retry_after_failure_rate"]);
        Assert.Equal(6f, features["time_on_task_minutes"]);              // (10 + 2) / 2
        Assert.Equal(1f / 3, features["help_seeking_rate"], 5);
        Assert.Equal(1f / 3, features["hint_use_rate"], 5);
        Assert.Equal(0.5f, features["persistence"]);
        Assert.Equal(0.5f, features["collaboration_per_session"]);
        Assert.Equal(4f, features["response_latency_seconds"]);
        Assert.Equal(2f, features["session_count"]);
        Assert.True(float.IsNaN(features["utterance_count"]));
        Assert.Equal((0.2 + (1.0 / 3)) / 2, features["engagement_index"], 5);
    }

    [Fact]
    public void A_missing_source_gives_missing_values_never_zeros()
    {
        var extractor = new FeatureExtractor();
        var none = extractor.Extract([], []);
        var talkOnly = extractor.Extract([Say("Yes.")], []);

        Assert.All(none.Values, v => Assert.True(float.IsNaN(v)));
        Assert.Equal(0, none.Coverage);
        Assert.Equal(17.0 / 26, talkOnly.Coverage, 6);   // 16 linguistic + engagement
        Assert.Equal(FeatureSet.Count, FeatureSet.Features.Count);
        Assert.Equal(16, FeatureSet.Features.Count(f => f.Source == FeatureSource.Linguistic));
        Assert.Equal(9, FeatureSet.Features.Count(f => f.Source == FeatureSource.Behavioral));
    }

    [Fact]
    public void Every_value_lies_in_its_documented_range()
    {
        var generator = new Synthetic.DistrictGenerator(3);
        var roster = generator.Roster(300);
        var extractor = new FeatureExtractor();
        foreach (var student in generator.Students(roster))
        {
            var features = extractor.Extract(student.Utterances, student.Events);
            for (int f = 0; f < FeatureSet.Count; f++)
            {
                var definition = FeatureSet.Features[f];
                float value = features.Values[f];
                Assert.True(float.IsNaN(value) || (value >= definition.Minimum && value <= definition.Maximum), $"{definition.Name} = {value}");
            }
        }
    }

    private static Utterance Say(string text) => new("st1", "d1", T0, "discussion", text);

    private static BehaviorEvent Do(string session, int minute, string kind, string? task = null, double? latency = null) =>
        new("st1", session, T0.AddMinutes(minute), kind, task, latency);
}
