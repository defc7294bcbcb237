using System.Buffers.Binary;
using System.Text;

namespace Skillscope.Trees.Format;

/// <summary>
/// Emits UBJSON as XGBoost 1.7 writes it: big-endian numbers, every length as an int64 (<c>L</c>),
/// integers in the smallest type that holds them, numeric arrays as typed arrays (<c>[$d#L…</c>).
/// </summary>
internal sealed class UbjsonDocumentEmitter(Stream stream) : IDocumentEmitter
{
    private readonly byte[] _buffer = new byte[8];

    public void StartObject() => stream.WriteByte((byte)'{');

    public void EndObject() => stream.WriteByte((byte)'}');

    public void StartArray(int count)
    {
        stream.WriteByte((byte)'[');
        stream.WriteByte((byte)'#');
        stream.WriteByte((byte)'L');
        Int64(count);
    }

    // A counted array has no closing marker.
    public void EndArray()
    {
    }

    public void Key(string name) => Utf8(name);

    public void String(string value)
    {
        stream.WriteByte((byte)'S');
        Utf8(value);
    }

    public void Integer(long value)
    {
        switch (value)
        {
            case >= sbyte.MinValue and <= sbyte.MaxValue:
                stream.WriteByte((byte)'i');
                stream.WriteByte((byte)(sbyte)value);
                break;
            case >= byte.MinValue and <= byte.MaxValue:
                stream.WriteByte((byte)'U');
                stream.WriteByte((byte)value);
                break;
            case >= short.MinValue and <= short.MaxValue:
                stream.WriteByte((byte)'I');
                BinaryPrimitives.WriteInt16BigEndian(_buffer, (short)value);
                stream.Write(_buffer, 0, 2);
                break;
            case >= int.MinValue and <= int.MaxValue:
                stream.WriteByte((byte)'l');
                BinaryPrimitives.WriteInt32BigEndian(_buffer, (int)value);
                stream.Write(_buffer, 0, 4);
                break;
            default:
                stream.WriteByte((byte)'L');
                Int64(value);
                break;
        }
    }

    public void FloatArray(ReadOnlySpan<float> values)
    {
        TypedArrayHeader('d', values.Length);
        foreach (float value in values)
        {
            if (!float.IsFinite(value))
            {
                throw new TreeModelException($"cannot write the non-finite number {value} to a model file");
            }

            BinaryPrimitives.WriteSingleBigEndian(_buffer, value);
            stream.Write(_buffer, 0, 4);
        }
    }

    public void Int32Array(ReadOnlySpan<int> values)
    {
        TypedArrayHeader('l', values.Length);
        foreach (int value in values)
        {
            BinaryPrimitives.WriteInt32BigEndian(_buffer, value);
            stream.Write(_buffer, 0, 4);
        }
    }

    public void Int64Array(ReadOnlySpan<long> values)
    {
        TypedArrayHeader('L', values.Length);
        foreach (long value in values)
        {
            Int64(value);
        }
    }

    public void ByteArray(ReadOnlySpan<byte> values)
    {
        TypedArrayHeader('U', values.Length);
        stream.Write(values);
    }

    private void TypedArrayHeader(char type, int count)
    {
        stream.WriteByte((byte)'[');
        stream.WriteByte((byte)'$');
        stream.WriteByte((byte)type);
        stream.WriteByte((byte)'#');
        stream.WriteByte((byte)'L');
        Int64(count);
    }

    private void Utf8(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        stream.WriteByte((byte)'L');
        Int64(bytes.Length);
        stream.Write(bytes);
    }

    private void Int64(long value)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer, value);
        stream.Write(_buffer, 0, 8);
    }
}
