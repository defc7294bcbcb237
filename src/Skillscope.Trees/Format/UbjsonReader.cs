using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Skillscope.Trees.Format;

/// <summary>
/// Parses UBJSON (Universal Binary JSON) as XGBoost writes it: big-endian numbers, <c>d</c> = float32,
/// typed arrays <c>[$type#count</c>, object keys as length-prefixed bytes. Also accepts the parts of
/// the UBJSON draft XGBoost does not write (untyped <c>]</c>-terminated arrays, counted objects, <c>N</c> no-ops).
/// </summary>
internal ref struct UbjsonReader
{
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private int _depth;

    private UbjsonReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _depth = 0;
    }

    public static DocumentNode Parse(ReadOnlySpan<byte> data)
    {
        var reader = new UbjsonReader(data);
        var root = reader.ParseValue(reader.ReadMarker());
        if (reader._position != data.Length)
        {
            throw reader.Error("unexpected bytes after the end of the document");
        }

        return root;
    }

    private DocumentNode ParseValue(byte marker)
    {
        switch (marker)
        {
            case (byte)'{':
                return ParseObject();
            case (byte)'[':
                return ParseArray();
            case (byte)'S':
                return new DocumentString(ReadString());
            case (byte)'C':
                return new DocumentString(((char)ReadBytes(1)[0]).ToString());
            case (byte)'T':
                return new DocumentBoolean(true);
            case (byte)'F':
                return new DocumentBoolean(false);
            case (byte)'Z':
                return DocumentNull.Instance;
            default:
                var (value, single, isInteger) = ReadNumber(marker);
                return new DocumentNumber(value, single, isInteger);
        }
    }

    private DocumentObject ParseObject()
    {
        EnterContainer();
        var members = new Dictionary<string, DocumentNode>(StringComparer.Ordinal);
        long count = -1;
        if (PeekByte() == (byte)'#')
        {
            _position++;
            count = ReadCount(minimumElementSize: 2);
        }

        for (long i = 0; count < 0 || i < count; i++)
        {
            if (count < 0)
            {
                SkipNoOps();
                if (PeekByte() == (byte)'}')
                {
                    _position++;
                    break;
                }
            }

            string name = ReadKey();
            var value = ParseValue(ReadMarker());
            if (!members.TryAdd(name, value))
            {
                throw Error($"duplicate member \"{name}\"");
            }
        }

        _depth--;
        return new DocumentObject(members);
    }

    private DocumentNode ParseArray()
    {
        EnterContainer();
        byte elementType = 0;
        long count = -1;
        if (PeekByte() == (byte)'$')
        {
            _position++;
            elementType = ReadBytes(1)[0];
            if (PeekByte() != (byte)'#')
            {
                throw Error("a typed array must give its count");
            }
        }

        if (PeekByte() == (byte)'#')
        {
            _position++;
            count = ReadCount(elementType == 0 ? 1 : ScalarSize(elementType));
        }

        DocumentNode result = elementType != 0
            ? ParseTypedArray(elementType, (int)count)
            : ParseUntypedArray(count);
        _depth--;
        return result;
    }

    private DocumentNode ParseTypedArray(byte elementType, int count)
    {
        if (ScalarSize(elementType) == 0)
        {
            // Containers, strings, booleans as an element type: legal UBJSON, never written by XGBoost.
            var items = new List<DocumentNode>(Math.Min(count, 1024));
            for (int i = 0; i < count; i++)
            {
                items.Add(ParseValue(elementType));
            }

            return new DocumentArray(items);
        }

        var doubles = new double[count];
        var singles = new float[count];
        bool isInteger = true;
        for (int i = 0; i < count; i++)
        {
            (doubles[i], singles[i], isInteger) = ReadNumber(elementType);
        }

        return new DocumentNumberArray(doubles, singles, isInteger || count == 0);
    }

    private DocumentNode ParseUntypedArray(long count)
    {
        var doubles = new NumberBuffer<double>(16);
        var singles = new NumberBuffer<float>(16);
        bool allIntegers = true;
        List<DocumentNode>? items = null;
        for (long i = 0; count < 0 || i < count; i++)
        {
            if (count < 0)
            {
                SkipNoOps();
                if (PeekByte() == (byte)']')
                {
                    _position++;
                    break;
                }
            }

            byte marker = ReadMarker();
            if (items is null && ScalarSize(marker) > 0)
            {
                var (value, single, isInteger) = ReadNumber(marker);
                doubles.Add(value);
                singles.Add(single);
                allIntegers &= isInteger;
                continue;
            }

            if (items is null)
            {
                items = new List<DocumentNode>(doubles.Count + 4);
                for (int k = 0; k < doubles.Count; k++)
                {
                    items.Add(new DocumentNumber(doubles[k], singles[k], allIntegers));
                }
            }

            items.Add(ParseValue(marker));
        }

        if (items is not null)
        {
            return new DocumentArray(items);
        }

        return doubles.Count == 0
            ? new DocumentArray([])
            : new DocumentNumberArray(doubles.ToArray(), singles.ToArray(), allIntegers);
    }

    private (double Value, float Single, bool IsInteger) ReadNumber(byte marker)
    {
        switch (marker)
        {
            case (byte)'i': { double v = (sbyte)ReadBytes(1)[0]; return (v, (float)v, true); }
            case (byte)'U': { double v = ReadBytes(1)[0]; return (v, (float)v, true); }
            case (byte)'I': { double v = BinaryPrimitives.ReadInt16BigEndian(ReadBytes(2)); return (v, (float)v, true); }
            case (byte)'l': { double v = BinaryPrimitives.ReadInt32BigEndian(ReadBytes(4)); return (v, (float)v, true); }
            case (byte)'L': { long v = BinaryPrimitives.ReadInt64BigEndian(ReadBytes(8)); return (v, v, true); }
            case (byte)'d': { float v = BinaryPrimitives.ReadSingleBigEndian(ReadBytes(4)); return (v, v, false); }
            case (byte)'D': { double v = BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8)); return (v, (float)v, false); }
            case (byte)'H':
            {
                int start = _position;
                string text = ReadString();
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
                    || !float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float s))
                {
                    _position = start;
                    throw Error("malformed high-precision number");
                }

                return (v, s, !text.AsSpan().ContainsAny(".eE"));
            }

            default:
                _position--;
                throw Error($"unknown UBJSON type marker 0x{marker:X2}");
        }
    }

    private static int ScalarSize(byte marker) => marker switch
    {
        (byte)'i' or (byte)'U' => 1,
        (byte)'I' => 2,
        (byte)'l' or (byte)'d' => 4,
        (byte)'L' or (byte)'D' => 8,
        _ => 0,
    };

    private string ReadKey()
    {
        int length = ReadLength(ReadMarker());
        return DecodeUtf8(ReadBytes(length));
    }

    private string ReadString()
    {
        int length = ReadLength(ReadMarker());
        return DecodeUtf8(ReadBytes(length));
    }

    private long ReadCount(int minimumElementSize)
    {
        int count = ReadLength(ReadMarker());
        // A count larger than the bytes left cannot be honest; refusing it here keeps a damaged file
        // from asking for gigabytes.
        if ((long)count * Math.Max(minimumElementSize, 1) > _data.Length - _position)
        {
            throw Error($"a container claims {count} elements, more than the file holds (truncated file?)");
        }

        return count;
    }

    private int ReadLength(byte marker)
    {
        var (value, _, isInteger) = ReadNumber(marker);
        if (!isInteger || value < 0 || value > int.MaxValue)
        {
            throw Error("invalid length or count");
        }

        return (int)value;
    }

    private void SkipNoOps()
    {
        while (PeekByte() == (byte)'N')
        {
            _position++;
        }
    }

    private byte ReadMarker()
    {
        SkipNoOps();
        return ReadBytes(1)[0];
    }

    private readonly byte PeekByte()
    {
        if (_position >= _data.Length)
        {
            throw Error("the document ends early (truncated file?)");
        }

        return _data[_position];
    }

    private ReadOnlySpan<byte> ReadBytes(int count)
    {
        if (count > _data.Length - _position)
        {
            throw Error("the document ends early (truncated file?)");
        }

        var bytes = _data.Slice(_position, count);
        _position += count;
        return bytes;
    }

    private void EnterContainer()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth} levels");
        }
    }

    private readonly string DecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            throw new TreeModelException($"malformed UBJSON model: invalid UTF-8 in a string at byte {_position}", innerException: ex);
        }
    }

    private readonly TreeModelException Error(string what) =>
        new($"malformed UBJSON model: {what} at byte {_position}");
}
