using System.Text;

namespace Skillscope.Scoring.Tabular;

/// <summary>
/// Reads RFC 4180 CSV records one at a time: comma-separated, fields optionally quoted with <c>"</c>,
/// <c>""</c> for a quote inside quotes, quoted fields may span lines, CRLF or LF line ends.
/// </summary>
public sealed class CsvRecordReader(TextReader reader)
{
    private readonly StringBuilder _field = new();

    /// <summary>Line number (1-based) where the last record returned started.</summary>
    public long LineNumber { get; private set; }

    private long _nextLine = 1;

    /// <summary>Reads the next record into <paramref name="fields"/>; false at the end of the input.</summary>
    public bool TryRead(List<string> fields)
    {
        fields.Clear();
        string? line = reader.ReadLine();
        while (line is { Length: 0 })
        {
            _nextLine++;
            line = reader.ReadLine();
        }

        if (line is null)
        {
            return false;
        }

        LineNumber = _nextLine++;
        _field.Clear();
        bool quoted = false;
        int i = 0;
        while (true)
        {
            if (i >= line.Length)
            {
                if (!quoted)
                {
                    break;
                }

                // A quoted field continues on the next line.
                line = reader.ReadLine() ?? throw new CsvFormatException($"line {LineNumber}: a quoted field is never closed");
                _nextLine++;
                _field.Append('\n');
                i = 0;
                continue;
            }

            char c = line[i++];
            if (quoted)
            {
                if (c != '"')
                {
                    _field.Append(c);
                }
                else if (i < line.Length && line[i] == '"')
                {
                    _field.Append('"');
                    i++;
                }
                else
                {
                    quoted = false;
                }
            }
            else if (c == ',')
            {
                fields.Add(_field.ToString());
                _field.Clear();
            }
            else if (c == '"' && _field.Length == 0)
            {
                quoted = true;
            }
            else
            {
                _field.Append(c);
            }
        }

        fields.Add(_field.ToString());
        return true;
    }
}
