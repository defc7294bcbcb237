using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Stores a fused score's components as <c>[ml, linguistic, behavioral, confidence_adjustment, weight_ml,
/// weight_linguistic, weight_behavioral, weight_confidence]</c>; reads that and the object form
/// assessments were stored in before.
/// </summary>
internal sealed class FusionComponentsConverter : JsonConverter<FusionComponents>
{
    public override FusionComponents? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize(ref reader, AssessmentJson.Default.FusionComponents);
        }

        PositionalJson.Start(ref reader);
        var components = new FusionComponents(
            Ml: PositionalJson.Double(ref reader),
            Linguistic: PositionalJson.NullableDouble(ref reader),
            Behavioral: PositionalJson.NullableDouble(ref reader),
            ConfidenceAdjustment: PositionalJson.Double(ref reader),
            WeightMl: PositionalJson.Double(ref reader),
            WeightLinguistic: PositionalJson.Double(ref reader),
            WeightBehavioral: PositionalJson.Double(ref reader),
            WeightConfidence: PositionalJson.Double(ref reader));
        PositionalJson.End(ref reader);
        return components;
    }

    public override void Write(Utf8JsonWriter writer, FusionComponents value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        PositionalJson.Write(writer, value.Ml);
        PositionalJson.Write(writer, value.Linguistic);
        PositionalJson.Write(writer, value.Behavioral);
        PositionalJson.Write(writer, value.ConfidenceAdjustment);
        PositionalJson.Write(writer, value.WeightMl);
        PositionalJson.Write(writer, value.WeightLinguistic);
        PositionalJson.Write(writer, value.WeightBehavioral);
        PositionalJson.Write(writer, value.WeightConfidence);
        writer.WriteEndArray();
    }
}
