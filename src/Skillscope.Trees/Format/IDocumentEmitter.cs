namespace Skillscope.Trees.Format;

/// <summary>
/// Writes a JSON-shaped document in one encoding. The model writer describes the document once and
/// each encoding (JSON text, UBJSON) decides how numbers and typed arrays are laid out.
/// </summary>
internal interface IDocumentEmitter
{
    void StartObject();

    void EndObject();

    /// <summary>Starts an array of <paramref name="count"/> heterogeneous values (UBJSON writes the count up front).</summary>
    void StartArray(int count);

    void EndArray();

    void Key(string name);

    void String(string value);

    void Integer(long value);

    void FloatArray(ReadOnlySpan<float> values);

    void Int32Array(ReadOnlySpan<int> values);

    void Int64Array(ReadOnlySpan<long> values);

    void ByteArray(ReadOnlySpan<byte> values);
}
