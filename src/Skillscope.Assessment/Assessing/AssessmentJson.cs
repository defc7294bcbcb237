using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// The JSON form of assessments — how the API returns them (snake_case; generated serialisers, so a
/// nightly batch of 100,000 students does not reflect over types) and how they are stored: the same,
/// except that evidence items, model contributions and fusion components are stored as arrays of their
/// values in field order (documents stored before that, with objects, read the same).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(StudentAssessment))]
[JsonSerializable(typeof(List<StudentAssessment>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Feedback.AssessmentFeedback))]
public sealed partial class AssessmentJson : JsonSerializerContext
{
    // Stored text is never embedded in HTML: keep quotes, apostrophes and accents as they are (half the size of \u escapes).
    // The small records an assessment holds dozens of are stored as arrays: their repeated field names were
    // a third of every stored document.
    private static readonly AssessmentJson Stored = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new EvidenceItemConverter(), new EvidenceFeatureConverter(), new FusionComponentsConverter() },
    });

    public static string Serialize(StudentAssessment assessment) => JsonSerializer.Serialize(assessment, Stored.StudentAssessment);

    /// <summary>A student's exemplar sentences by feature, as stored with their features.</summary>
    public static string SerializeExemplars(IReadOnlyDictionary<string, string> exemplars) =>
        JsonSerializer.Serialize(exemplars as Dictionary<string, string> ?? new Dictionary<string, string>(exemplars, StringComparer.Ordinal), Stored.DictionaryStringString);

    public static Dictionary<string, string> DeserializeExemplars(string json) =>
        JsonSerializer.Deserialize(json, Stored.DictionaryStringString) ?? [];

    /// <summary>Feedback alone, as the LLM feedback cache keeps it.</summary>
    public static string SerializeFeedback(Feedback.AssessmentFeedback feedback) => JsonSerializer.Serialize(feedback, Stored.AssessmentFeedback);

    public static Feedback.AssessmentFeedback DeserializeFeedback(string json) =>
        JsonSerializer.Deserialize(json, Stored.AssessmentFeedback) ?? throw new JsonException("feedback was stored as null");

    public static StudentAssessment Deserialize(string json) =>
        JsonSerializer.Deserialize(json, Stored.StudentAssessment) ?? throw new JsonException("an assessment was stored as null");
}
