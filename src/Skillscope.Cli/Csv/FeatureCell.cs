using System.Globalization;

namespace Skillscope.Cli.Csv;

/// <summary>Parses one CSV cell into a feature value the way a data team's pandas → XGBoost pipeline would.</summary>
internal static class FeatureCell
{
    /// <summary>
    /// Empty, <c>NaN</c>/<c>nan</c>, <c>NA</c> and <c>null</c> are missing; <c>inf</c>, <c>-inf</c>, <c>Infinity</c> are infinities.
    /// Numbers are read as double and then rounded to float32, as pandas reads a CSV and XGBoost converts it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> cell, out float value)
    {
        cell = cell.Trim();
        if (cell.IsEmpty || cell.Equals("nan", StringComparison.OrdinalIgnoreCase) || cell.Equals("na", StringComparison.OrdinalIgnoreCase)
            || cell.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            value = float.NaN;
            return true;
        }

        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double number))
        {
            value = (float)number;
            return true;
        }

        bool negative = cell[0] == '-';
        var magnitude = cell[0] is '-' or '+' ? cell[1..] : cell;
        if (magnitude.Equals("inf", StringComparison.OrdinalIgnoreCase) || magnitude.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? float.NegativeInfinity : float.PositiveInfinity;
            return true;
        }

        value = 0;
        return false;
    }
}
