using System.Globalization;
using System.Text;

namespace Skillscope.Trees.Format;

/// <summary>
/// Parses XGBoost's text JSON into <see cref="DocumentNode"/>s. Unlike System.Text.Json it accepts the
/// bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> tokens XGBoost writes, and it converts each
/// number straight from its text to float32 as well as to double.
/// </summary>
internal ref struct TextJsonReader
{
    // Deep enough for any XGBoost document (about 6 levels), shallow enough that a hostile file
    // cannot exhaust the stack.
    private const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly ReadOnlySpan<byte> _text;
    private int _position;
    private int _depth;

    private TextJsonReader(ReadOnlySpan<byte> text)
    {
        _text = text;
        _position = 0;
        _depth = 0;
    }

    public static DocumentNode Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length >= 3 && utf8[0] == 0xEF && utf8[1] == 0xBB && utf8[2] == 0xBF)
        {
            utf8 = utf8[3..];
        }

        var reader = new TextJsonReader(utf8);
        reader.SkipWhitespace();
        var root = reader.ParseValue();
        reader.SkipWhitespace();
        if (reader._position != reader._text.Length)
        {
            throw reader.Error("unexpected content after the end of the JSON document");
        }

        return root;
    }

    private DocumentNode ParseValue()
    {
        if (_position >= _text.Length)
        {
            throw Error("the JSON document ends early (truncated file?)");
        }

        byte c = _text[_position];
        switch (c)
        {
            case (byte)'{':
                return ParseObject();
            case (byte)'[':
                return ParseArray();
            case (byte)'"':
                return new DocumentString(ParseString());
            case (byte)'t':
                ExpectLiteral("true"u8);
                return new DocumentBoolean(true);
            case (byte)'f':
                ExpectLiteral("false"u8);
                return new DocumentBoolean(false);
            case (byte)'n':
                ExpectLiteral("null"u8);
                return DocumentNull.Instance;
            default:
                if (IsNumberStart(c))
                {
                    var (value, single, isInteger) = ParseNumber();
                    return new DocumentNumber(value, single, isInteger);
                }

                throw Error($"unexpected character '{(char)c}'");
        }
    }

    private DocumentObject ParseObject()
    {
        EnterContainer();
        _position++;
        var members = new Dictionary<string, DocumentNode>(StringComparer.Ordinal);
        SkipWhitespace();
        if (Peek() == (byte)'}')
        {
            _position++;
            _depth--;
            return new DocumentObject(members);
        }

        while (true)
        {
            SkipWhitespace();
            if (Peek() != (byte)'"')
            {
                throw Error("expected a quoted member name");
            }

            string name = ParseString();
            SkipWhitespace();
            Expect((byte)':');
            SkipWhitespace();
            var value = ParseValue();
            if (!members.TryAdd(name, value))
            {
                throw Error($"duplicate member \"{name}\"");
            }

            SkipWhitespace();
            byte next = Peek();
            _position++;
            if (next == (byte)'}')
            {
                _depth--;
                return new DocumentObject(members);
            }

            if (next != (byte)',')
            {
                _position--;
                throw Error("expected ',' or '}' in an object");
            }
        }
    }

    private DocumentNode ParseArray()
    {
        EnterContainer();
        _position++;
        SkipWhitespace();
        if (Peek() == (byte)']')
        {
            _position++;
            _depth--;
            return new DocumentArray([]);
        }

        return IsNumberStart(Peek()) ? ParseNumberArray() : ParseMixedArray([]);
    }

    private DocumentNode ParseNumberArray()
    {
        var doubles = new NumberBuffer<double>(16);
        var singles = new NumberBuffer<float>(16);
        bool allIntegers = true;
        while (true)
        {
            var (value, single, isInteger) = ParseNumber();
            doubles.Add(value);
            singles.Add(single);
            allIntegers &= isInteger;
            SkipWhitespace();
            byte next = Peek();
            _position++;
            if (next == (byte)']')
            {
                _depth--;
                return new DocumentNumberArray(doubles.ToArray(), singles.ToArray(), allIntegers);
            }

            if (next != (byte)',')
            {
                _position--;
                throw Error("expected ',' or ']' in an array");
            }

            SkipWhitespace();
            if (!IsNumberStart(Peek()))
            {
                // A mixed array: box what was read so far and continue element by element.
                var items = new List<DocumentNode>(doubles.Count + 4);
                for (int i = 0; i < doubles.Count; i++)
                {
                    items.Add(new DocumentNumber(doubles[i], singles[i], allIntegers));
                }

                return ParseMixedArray(items);
            }
        }
    }

    private DocumentArray ParseMixedArray(List<DocumentNode> items)
    {
        while (true)
        {
            SkipWhitespace();
            items.Add(ParseValue());
            SkipWhitespace();
            byte next = Peek();
            _position++;
            if (next == (byte)']')
            {
                _depth--;
                return new DocumentArray(items);
            }

            if (next != (byte)',')
            {
                _position--;
                throw Error("expected ',' or ']' in an array");
            }
        }
    }

    private (double Value, float Single, bool IsInteger) ParseNumber()
    {
        int start = _position;
        if (MatchLiteral("NaN"u8))
        {
            return (double.NaN, float.NaN, false);
        }

        if (MatchLiteral("Infinity"u8))
        {
            return (double.PositiveInfinity, float.PositiveInfinity, false);
        }

        if (MatchLiteral("-Infinity"u8))
        {
            return (double.NegativeInfinity, float.NegativeInfinity, false);
        }

        bool isInteger = true;
        while (_position < _text.Length)
        {
            byte c = _text[_position];
            if (c is (byte)'.' or (byte)'e' or (byte)'E')
            {
                isInteger = false;
            }
            else if (c is not ((>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'+'))
            {
                break;
            }

            _position++;
        }

        var token = _text[start.._position];
        if (token.Length == 0
            || !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            || !float.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out float single))
        {
            _position = start;
            throw Error("malformed number");
        }

        return (value, single, isInteger);
    }

    private string ParseString()
    {
        _position++;
        int start = _position;
        bool escaped = false;
        while (true)
        {
            if (_position >= _text.Length)
            {
                throw Error("unterminated string (truncated file?)");
            }

            byte c = _text[_position];
            if (c == (byte)'"')
            {
                break;
            }

            if (c == (byte)'\\')
            {
                escaped = true;
                _position++;
            }
            else if (c < 0x20)
            {
                throw Error("control character inside a string");
            }

            _position++;
        }

        var raw = _text[start.._position];
        _position++;
        try
        {
            string decoded = StrictUtf8.GetString(raw);
            return escaped ? Unescape(decoded) : decoded;
        }
        catch (DecoderFallbackException ex)
        {
            throw new TreeModelException($"invalid UTF-8 in a string near byte {start}", innerException: ex);
        }
    }

    private string Unescape(string raw)
    {
        var builder = new StringBuilder(raw.Length);
        for (int i = 0; i < raw.Length; i++)
        {
            char c = raw[i];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }

            if (++i >= raw.Length)
            {
                throw Error("dangling escape in a string");
            }

            switch (raw[i])
            {
                case '"': builder.Append('"'); break;
                case '\\': builder.Append('\\'); break;
                case '/': builder.Append('/'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'n': builder.Append('\n'); break;
                case 'r': builder.Append('\r'); break;
                case 't': builder.Append('\t'); break;
                case 'u':
                    if (i + 4 >= raw.Length
                        || !ushort.TryParse(raw.AsSpan(i + 1, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ushort code))
                    {
                        throw Error("malformed \\u escape in a string");
                    }

                    builder.Append((char)code);
                    i += 4;
                    break;
                default:
                    throw Error($"unknown escape '\\{raw[i]}' in a string");
            }
        }

        return builder.ToString();
    }

    private void EnterContainer()
    {
        if (++_depth > MaxDepth)
        {
            throw Error($"nesting deeper than {MaxDepth} levels");
        }
    }

    private static bool IsNumberStart(byte c) =>
        c is (>= (byte)'0' and <= (byte)'9') or (byte)'-' or (byte)'N' or (byte)'I';

    private readonly byte Peek()
    {
        if (_position >= _text.Length)
        {
            throw Error("the JSON document ends early (truncated file?)");
        }

        return _text[_position];
    }

    private void Expect(byte expected)
    {
        if (Peek() != expected)
        {
            throw Error($"expected '{(char)expected}'");
        }

        _position++;
    }

    private void ExpectLiteral(ReadOnlySpan<byte> literal)
    {
        if (!MatchLiteral(literal))
        {
            throw Error("unknown literal");
        }
    }

    private bool MatchLiteral(ReadOnlySpan<byte> literal)
    {
        if (!_text[_position..].StartsWith(literal))
        {
            return false;
        }

        _position += literal.Length;
        return true;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            _position++;
        }
    }

    private readonly TreeModelException Error(string what) =>
        new($"malformed JSON model: {what} at byte {_position}");
}
