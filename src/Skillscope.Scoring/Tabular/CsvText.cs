namespace Skillscope.Scoring.Tabular;

/// <summary>Writing CSV fields.</summary>
public static class CsvText
{
    /// <summary>Quotes a field when it holds a comma, quote or line break.</summary>
    public static string Escape(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
