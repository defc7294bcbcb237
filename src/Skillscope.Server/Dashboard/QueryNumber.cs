using System.Globalization;

namespace Skillscope.Server.Dashboard;

/// <summary>
/// A whole number from a page's query string, or null when it is not one: links can be edited by
/// hand, and a word where a number belongs must show the page as if it were absent, not an error.
/// (Typed query parameters make the framework throw, a 500, on <c>?page=abc</c> or <c>?page=99999999999</c>.)
/// </summary>
internal static class QueryNumber
{
    public static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) ? value : null;

    public static long? Long(string? text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : null;
}
