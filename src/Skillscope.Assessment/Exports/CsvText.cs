namespace Skillscope.Assessment.Exports;

/// <summary>CSV cells that are safe to open in a spreadsheet.</summary>
public static class CsvText
{
    /// <summary>
    /// <paramref name="value"/> as one RFC 4180 cell: quoted when it holds a comma, quote or line break, and a
    /// leading <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return prefixed with <c>'</c> so a spreadsheet
    /// does not run it as a formula.
    /// </summary>
    public static string Cell(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string safe = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
