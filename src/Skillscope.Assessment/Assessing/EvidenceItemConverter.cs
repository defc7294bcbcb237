using System.Text.Json;
using System.Text.Json.Serialization;

namespace Skillscope.Assessment.Assessing;

/// <summary>
/// Stores an evidence item as <c>[source, feature, description, weight, value, direction, quote, detail]</c>
/// (detail only when there is one); reads that, the seven-value form without detail, and the object form
/// assessments were stored in before.
/// </summary>
internal sealed class EvidenceItemConverter : JsonConverter<EvidenceItem>
{
    public override EvidenceItem? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.StartObject)
        {
            return JsonSerializer.Deserialize(ref reader, AssessmentJson.Default.EvidenceItem);
        }

        PositionalJson.Start(ref reader);
        var item = new EvidenceItem(
            Source: PositionalJson.String(ref reader),
            Feature: PositionalJson.String(ref reader),
            Description: PositionalJson.String(ref reader),
            Weight: PositionalJson.Double(ref reader),
            Value: PositionalJson.NullableFloat(ref reader),
            Direction: PositionalJson.String(ref reader),
            Quote: PositionalJson.NullableString(ref reader),
            Detail: PositionalJson.TrailingString(ref reader));
        return item;
    }

    public override void Write(Utf8JsonWriter writer, EvidenceItem value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        writer.WriteStringValue(value.Source);
        writer.WriteStringValue(value.Feature);
        writer.WriteStringValue(value.Description);
        PositionalJson.Write(writer, value.Weight);
        PositionalJson.Write(writer, value.Value);
        writer.WriteStringValue(value.Direction);
        if (value.Quote is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteStringValue(value.Quote);
        }

        if (value.Detail is not null)
        {
            writer.WriteStringValue(value.Detail);
        }

        writer.WriteEndArray();
    }
}
