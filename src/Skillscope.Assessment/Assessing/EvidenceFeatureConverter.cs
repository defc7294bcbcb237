using System.Text.Json;
using System.Text.Json.Serialization;
using Skillscope.Assessment.Inference;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Stores a model contribution as <c>[feature, label, value, contribution, direction]</c>; reads that and
/// the object form assessments were stored in before.
/// </summary>
internal sealed class EvidenceFeatureConverter : JsonConverter<EvidenceFeature>
{
    public override EvidenceFeature? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize(ref reader, AssessmentJson.Default.EvidenceFeature);
        }

        PositionalJson.Start(ref reader);
        var feature = new EvidenceFeature(
            Feature: PositionalJson.String(ref reader),
            Label: PositionalJson.String(ref reader),
            Value: PositionalJson.NullableFloat(ref reader),
            Contribution: PositionalJson.Float(ref reader),
            Direction: PositionalJson.String(ref reader));
        PositionalJson.End(ref reader);
        return feature;
    }

    public override void Write(Utf8JsonWriter writer, EvidenceFeature value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.Feature);
        writer.WriteStringValue(value.Label);
        PositionalJson.Write(writer, value.Value);
        PositionalJson.Write(writer, (float?)value.Contribution);
        writer.WriteStringValue(value.Direction);
        writer.WriteEndArray();
    }
}
