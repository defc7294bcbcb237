using System.Globalization;
using System.Text.Json;

namespace Skillscope.Trees.Format;

/// <summary>Emits compact JSON text; floats in their shortest round-trip form, as XGBoost writes them.</summary>
internal sealed class JsonDocumentEmitter(Stream stream) : IDocumentEmitter, IDisposable
{
    private readonly Utf8JsonWriter _writer = new(stream, new JsonWriterOptions { Indented = false, SkipValidation = false });

    public void StartObject() => _writer.WriteStartObject();

    public void EndObject() => _writer.WriteEndObject();

    public void StartArray(int count) => _writer.WriteStartArray();

    public void EndArray() => _writer.WriteEndArray();

    public void Key(string name) => _writer.WritePropertyName(name);

    public void String(string value) => _writer.WriteStringValue(value);

    public void Integer(long value) => _writer.WriteNumberValue(value);

    public void FloatArray(ReadOnlySpan<float> values)
    {
        _writer.WriteStartArray();
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new TreeModelException($"cannot write the non-finite number {value} to a model file");
            }

            // XGBoost's reader types a number without '.' or an exponent as an integer and refuses it in a float array.
            string text = value.ToString("R", CultureInfo.InvariantCulture);
            _writer.WriteRawValue(text.AsSpan().IndexOfAny('.', 'E') >= 0 ? text : text + ".0", skipInputValidation: true);
        }

        _writer.WriteEndArray();
    }

    public void Int32Array(ReadOnlySpan<int> values)
    {
        _writer.WriteStartArray();
        foreach (int value in values)
        {
            _writer.WriteNumberValue(value);
        }

        _writer.WriteEndArray();
    }

    public void Int64Array(ReadOnlySpan<long> values)
    {
        _writer.WriteStartArray();
        foreach (long value in values)
        {
            _writer.WriteNumberValue(value);
        }

        _writer.WriteEndArray();
    }

    public void ByteArray(ReadOnlySpan<byte> values)
    {
        _writer.WriteStartArray();
        foreach (byte value in values)
        {
            _writer.WriteNumberValue(value);
        }

        _writer.WriteEndArray();
    }

    public void Dispose() => _writer.Dispose();
}
