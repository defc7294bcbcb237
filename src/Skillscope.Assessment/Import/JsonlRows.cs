using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Skillscope.Assessment.Import;

/// <summary>
/// Reads JSONL (one object per line) straight from UTF-8 bytes: no line string, no document, and field
/// names read once per file. An evidence file has millions of lines, and building a string and a
/// <see cref="JsonDocument"/> for each was most of an import's parsing time.
/// </summary>
internal sealed class JsonlRows
{
    private const int ChunkBytes = 1 << 20;
    private const int RememberedNames = 32;

    private const int RememberedValueBytes = 64;

    // The names seen so far, as written and lower-cased, with their recent values: a file repeats the same
    // few names on every line, and a student's id, session and event kind on many lines in a row.
    private readonly List<Field> _names = [];

    // One row's fields, filled again for every row: a row is parsed before the next one is read, and an
    // evidence file has millions of rows (a dictionary each was a large part of the garbage collector's work).
    private readonly Dictionary<string, string?> _row = new(8, StringComparer.Ordinal);

    /// <summary>
    /// The stream cut into chunks of whole lines (about a megabyte each), so that several threads can
    /// read rows at once; <see cref="Rows"/> reads one chunk's rows and gives its buffer back.
    /// </summary>
    public static IEnumerable<JsonlChunk> Chunks(Stream stream)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        int end = 0;
        long line = 1;
        bool first = true, atEnd = false;
        try
        {
            while (true)
            {
                while (!atEnd && end < buffer.Length)
                {
                    int read = stream.Read(buffer, end, buffer.Length - end);
                    atEnd = read == 0;
                    end += read;
                }

                if (end == 0)
                {
                    yield break;
                }

                int cut = atEnd ? end : buffer.AsSpan(0, end).LastIndexOf((byte)'\n') + 1;
                if (cut == 0)
                {
                    // One line longer than the buffer: grow it and read on.
                    byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    Buffer.BlockCopy(buffer, 0, larger, 0, end);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                    continue;
                }

                byte[] next = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, end - cut));
                Buffer.BlockCopy(buffer, cut, next, 0, end - cut);
                var chunk = new JsonlChunk(buffer, cut, line, first);
                line += buffer.AsSpan(0, cut).Count((byte)'\n');
                (buffer, end, first) = (next, end - cut, false);
                yield return chunk;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The chunk's rows (blank lines skipped, numbered in the whole file); its buffer is given back once
    /// they are read. A row's fields are valid until the next row is read.
    /// </summary>
    public IEnumerable<ImportRow> Rows(JsonlChunk chunk)
    {
        try
        {
            int start = 0;
            long line = chunk.FirstLine;
            while (start < chunk.Length)
            {
                int newline = Array.IndexOf(chunk.Buffer, (byte)'\n', start, chunk.Length - start);
                int lineEnd = newline < 0 ? chunk.Length : newline;
                var text = chunk.Buffer.AsSpan(start, lineEnd - start);
                if (chunk.StartsFile && line == chunk.FirstLine && text.StartsWith(Encoding.UTF8.Preamble))
                {
                    text = text[Encoding.UTF8.Preamble.Length..];
                }

                if (!IsBlank(text))
                {
                    yield return Row(line, text);
                }

                start = lineEnd + 1;
                line++;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    private ImportRow Row(long line, ReadOnlySpan<byte> text)
    {
        var row = _row;
        row.Clear();
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Problem(line, $"expected a JSON object, found {Describe(reader.TokenType)}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = Name(ref reader);
                string name = field.Name;
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        row[name] = field.Value(ref reader);
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                        row[name] = Encoding.UTF8.GetString(reader.ValueSpan);
                        break;
                    case JsonTokenType.Null:
                        row[name] = null;
                        break;
                    default:
                        return new ImportRow(line, row, $"field \"{name}\" must be a string, number, boolean or null");
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return Problem(line, "not valid JSON: more than one value on the line");
            }

            return new ImportRow(line, row, null);
        }
        catch (JsonException exception)
        {
            return Problem(line, $"not valid JSON: {exception.Message}");
        }
        catch (InvalidOperationException exception)
        {
            // GetString refuses text that is not valid UTF-8.
            return Problem(line, $"not valid JSON: {exception.Message}");
        }
    }

    private Field Name(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return new Field([], reader.GetString()!.ToLowerInvariant());
        }

        var raw = reader.ValueSpan;
        foreach (var field in _names)
        {
            if (raw.SequenceEqual(field.Raw))
            {
                return field;
            }
        }

        var added = new Field(raw.ToArray(), reader.GetString()!.ToLowerInvariant());
        if (_names.Count < RememberedNames)
        {
            _names.Add(added);
        }

        return added;
    }

    /// <summary>A field name and the last few values it had, as bytes and strings, so a repeated value is not decoded and allocated again.</summary>
    private sealed class Field(byte[] raw, string name)
    {
        private const int Remembered = 4;
        private readonly byte[][] _bytes = new byte[Remembered][];
        private readonly string[] _values = new string[Remembered];
        private int _count, _next;

        public byte[] Raw { get; } = raw;

        public string Name { get; } = name;

        public string Value(ref Utf8JsonReader reader)
        {
            if (reader.ValueIsEscaped || reader.HasValueSequence || reader.ValueSpan.Length > RememberedValueBytes)
            {
                return reader.GetString()!;
            }

            var raw = reader.ValueSpan;
            for (int i = 0; i < _count; i++)
            {
                if (raw.SequenceEqual(_bytes[i]))
                {
                    return _values[i];
                }
            }

            // Decoding checks the bytes are UTF-8; a remembered value was checked when it was first decoded.
            string value = reader.GetString()!;
            (_bytes[_next], _values[_next]) = (raw.ToArray(), value);
            _next = (_next + 1) % Remembered;
            _count = Math.Min(_count + 1, Remembered);
            return value;
        }
    }

    private static ImportRow Problem(long line, string message) => new(line, new Dictionary<string, string?>(), message);

    private static bool IsBlank(ReadOnlySpan<byte> text)
    {
        foreach (byte b in text)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r'))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };
}

/// <summary>Whole lines of a JSONL stream in a pooled buffer: <paramref name="Length"/> bytes from line <paramref name="FirstLine"/>.</summary>
internal sealed record JsonlChunk(byte[] Buffer, int Length, long FirstLine, bool StartsFile);
