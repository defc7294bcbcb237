using System.Text;
using System.Text.RegularExpressions;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Removes personal data from text before it leaves the process: every word that is a first or last
/// name of a student or teacher in the roster becomes <c>[name]</c>, e-mail addresses <c>[email]</c>
/// and phone numbers <c>[phone]</c>. Names that are also everyday words ("Will", "Grace") are removed
/// only when capitalised, so "I will try" keeps its meaning.
/// </summary>
public sealed partial class Redactor
{
    public const string NameMark = "[name]";
    public const string EmailMark = "[email]";
    public const string PhoneMark = "[phone]";

    // Names that are also common words: redacted only when written with a capital.
    private static readonly HashSet<string> EverydayWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "will", "may", "hope", "grace", "joy", "faith", "mark", "bill", "rose", "june", "april", "art", "sky", "summer", "autumn",
        "dawn", "rich", "chase", "grant", "pat", "sue", "drew", "jack", "max", "ray", "miles", "jay", "guy", "rob", "don", "young",
        "king", "page", "hill", "wood", "stone", "brown", "green", "white", "black", "gray", "grey", "long", "little", "love", "star",
        "river", "angel", "honey", "lane", "park", "price", "rice", "bell", "case", "cook", "hunt", "lee", "best", "hall", "field",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> EverydayLookup = EverydayWords.GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly HashSet<string> _names;
    private readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <param name="names">Names from the roster: whole names are split into their words.</param>
    public Redactor(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            foreach (var word in name.Split([' ', '-', '.', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // Initials and titles ("J", "Ms") are not names on their own.
                if (word.Length >= 2 && !word.Equals("ms", StringComparison.OrdinalIgnoreCase) && !word.Equals("mr", StringComparison.OrdinalIgnoreCase)
                    && !word.Equals("mrs", StringComparison.OrdinalIgnoreCase) && !word.Equals("dr", StringComparison.OrdinalIgnoreCase))
                {
                    _names.Add(word);
                }
            }
        }

        _lookup = _names.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Distinct name words known.</summary>
    public int NameCount => _names.Count;

    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string masked = Phone().Replace(Email().Replace(text, EmailMark), match => DigitCount(match.ValueSpan) >= 7 ? PhoneMark : match.Value);
        return _names.Count == 0 ? masked : RedactNames(masked);
    }

    private string RedactNames(string text)
    {
        StringBuilder? output = null;
        int copied = 0, i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && (char.IsLetter(text[i]) || (text[i] == '\'' && i + 1 < text.Length && char.IsLetter(text[i + 1]) && !IsPossessive(text, i))))
            {
                i++;
            }

            var word = text.AsSpan(start, i - start);
            if (_lookup.Contains(word) && (char.IsUpper(word[0]) || !EverydayLookup.Contains(word)))
            {
                output ??= new StringBuilder(text.Length);
                output.Append(text, copied, start - copied).Append(NameMark);
                copied = i;
            }
        }

        return output is null ? text : output.Append(text, copied, text.Length - copied).ToString();
    }

    private static int DigitCount(ReadOnlySpan<char> text)
    {
        int digits = 0;
        foreach (char c in text)
        {
            digits += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return digits;
    }

    // "Maya's" is the name Maya and a possessive; "O'Neil" is one name.
    private static bool IsPossessive(string text, int apostrophe) =>
        apostrophe + 1 < text.Length && (text[apostrophe + 1] is 's' or 'S') && (apostrophe + 2 == text.Length || !char.IsLetter(text[apostrophe + 2]));

    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    // Seven or more digits (counted on each match), optionally with a leading + and separated by spaces, dots, dashes or brackets.
    [GeneratedRegex(@"(?<![\w.])\+?\(?\d[\d\s().\-]{5,}\d(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
