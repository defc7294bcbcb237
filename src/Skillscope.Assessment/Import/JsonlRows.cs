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
    private const int InitialBuffer = 1 << 16;
    private const int RememberedNames = 32;

    // The names seen so far, as written and lower-cased: a file repeats the same few on every line.
    private readonly List<(byte[] Raw, string Name)> _names = [];

    public static IEnumerable<ImportRow> Read(Stream stream) => new JsonlRows().Lines(stream);

    private IEnumerable<ImportRow> Lines(Stream stream)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        try
        {
            int start = 0, end = 0;
            long line = 0;
            bool atEnd = false, first = true;
            while (true)
            {
                int newline = Array.IndexOf(buffer, (byte)'\n', start, end - start);
                if (newline < 0 && !atEnd)
                {
                    // Keep the partial line, grow when one line fills the buffer, and read more.
                    if (start > 0)
                    {
                        Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                        (end, start) = (end - start, 0);
                    }

                    if (end == buffer.Length)
                    {
                        byte[] larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        Buffer.BlockCopy(buffer, 0, larger, 0, end);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = larger;
                    }

                    int read = stream.Read(buffer, end, buffer.Length - end);
                    atEnd = read == 0;
                    end += read;
                    continue;
                }

                int lineEnd = newline < 0 ? end : newline;
                if (lineEnd == start && newline < 0)
                {
                    yield break;
                }

                var text = buffer.AsSpan(start, lineEnd - start);
                start = newline < 0 ? end : newline + 1;
                line++;
                if (first)
                {
                    first = false;
                    text = text.StartsWith(Encoding.UTF8.Preamble) ? text[Encoding.UTF8.Preamble.Length..] : text;
                }

                if (!IsBlank(text))
                {
                    yield return Row(line, text);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private ImportRow Row(long line, ReadOnlySpan<byte> text)
    {
        var row = new Dictionary<string, string?>(8, StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(text, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return Problem(line, $"expected a JSON object, found {Describe(reader.TokenType)}");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                string name = Name(ref reader);
                reader.Read();
                switch (reader.TokenType)
                {
                    case JsonTokenType.String:
                        row[name] = reader.GetString();
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

    private string Name(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped)
        {
            return reader.GetString()!.ToLowerInvariant();
        }

        var raw = reader.ValueSpan;
        foreach (var (known, name) in _names)
        {
            if (raw.SequenceEqual(known))
            {
                return name;
            }
        }

        string lowered = reader.GetString()!.ToLowerInvariant();
        if (_names.Count < RememberedNames)
        {
            _names.Add((raw.ToArray(), lowered));
        }

        return lowered;
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
