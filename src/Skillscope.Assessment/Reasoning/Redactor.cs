using System.Text;
using System.Text.RegularExpressions;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Removes personal data from text before it leaves the process: every word that is a first or last
/// name of a student or teacher in the roster becomes <c>[name]</c>, and so does a capitalised name that
/// is not on the roster but stands beside a family or relationship word ("my brother Kwame", "Rosa, my
/// aunt", "Mr Diallo"); e-mail addresses (also a cut one: "maya.okafor@", "@home.example.org") become
/// <c>[email]</c>, social handles <c>[handle]</c>, links and bare domains <c>[url]</c>, street addresses,
/// flats, PO boxes and postcodes <c>[address]</c>, phone numbers <c>[phone]</c>. Names that are also
/// everyday words ("Will", "Grace") are removed only when capitalised, so "I will try" keeps its meaning.
/// Not removed: a name not on the roster written in lower case or with no family word beside it, a
/// nickname, an address written without a house number, or a description that identifies someone
/// without naming them.
/// </summary>
public sealed partial class Redactor
{
    public const string NameMark = "[name]";
    public const string EmailMark = "[email]";
    public const string PhoneMark = "[phone]";
    public const string HandleMark = "[handle]";
    public const string UrlMark = "[url]";
    public const string AddressMark = "[address]";

    // Capitalised words that start sentences or follow a family word without being anyone's name.
    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal)
    {
        "I", "The", "A", "An", "And", "But", "So", "Then", "When", "While", "Yesterday", "Today", "Tomorrow", "Tonight", "Sometimes", "Also",
        "After", "Before", "Later", "Now", "Yes", "No", "Okay", "Ok", "Well", "Because", "At", "On", "In", "We", "He", "She", "They", "It",
        "This", "That", "Once", "Last", "First", "Maybe", "Actually", "Anyway", "Usually", "Always", "Never", "Or", "If", "My", "Our", "His", "Her",
    };

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
        // E-mail first (it holds a domain), then what a cut address leaves, handles, links; addresses
        // before phones (a house number and a ZIP code are not a phone number).
        string masked = Email().Replace(text, EmailMark);
        masked = CutEmail().Replace(masked, EmailMark);
        masked = Handle().Replace(masked, match => match.ValueSpan.Contains('.') ? EmailMark : HandleMark);
        masked = Url().Replace(masked, UrlMark);
        masked = Address().Replace(masked, AddressMark);
        masked = Unit().Replace(masked, AddressMark);
        masked = Postcode().Replace(masked, AddressMark);
        masked = Phone().Replace(masked, match => DigitCount(match.ValueSpan) >= 7 ? PhoneMark : match.Value);
        masked = NameAfterRelation().Replace(masked, match => MaskNames(match, "name", "surname"));
        masked = NameBeforeRelation().Replace(masked, match => MaskNames(match, "name"));
        return _names.Count == 0 ? masked : RedactNames(masked);
    }

    /// <summary>The match with its name groups replaced by the mark, unless a group is a word that is no name.</summary>
    private static string MaskNames(Match match, params string[] groups)
    {
        var text = new StringBuilder(match.Value);
        for (int g = groups.Length - 1; g >= 0; g--)
        {
            var group = match.Groups[groups[g]];
            if (group.Success && !NotNames.Contains(group.Value))
            {
                text.Remove(group.Index - match.Index, group.Length).Insert(group.Index - match.Index, NameMark);
            }
        }

        return text.ToString();
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

    // An address cut before its domain ("maya.okafor@").
    [GeneratedRegex(@"(?<![\w])[A-Za-z0-9._%+\-]+@(?![A-Za-z0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CutEmail();

    // "@maya_o", or what is left of an address cut before its "@" ("@home.example.org").
    [GeneratedRegex(@"(?<![\w.])@[A-Za-z0-9_][A-Za-z0-9_.\-]*[A-Za-z0-9_]|(?<![\w.])@[A-Za-z0-9_]", RegexOptions.CultureInvariant)]
    private static partial Regex Handle();

    // Links, and bare domains with a common top-level domain ("mayasblog.com/about"); a sentence's last
    // punctuation stays outside.
    [GeneratedRegex(@"(?i)\b(?:https?://|www\.)[^\s<>""']*[^\s<>""'.,!?;:)\]]|\b(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|co|uk|us|ca|au|nz|ie|de|fr|es|it|nl|me|tv|app|dev|info|biz|ly|gg|ai|xyz)\b(?:/[^\s<>""']*[^\s<>""'.,!?;:)\]])?", RegexOptions.CultureInvariant)]
    private static partial Regex Url();

    // A house number (with a letter: "12b"), one to three capitalised words or an ordinal, a street word,
    // perhaps a direction, a flat, and a city with its state and ZIP code.
    [GeneratedRegex(@"\b\d{1,6}[A-Za-z]?(?:\s+(?:[A-Z][A-Za-z'\-]*|\d{1,3}(?:st|nd|rd|th))){1,3}\s+(?i:street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|close|crescent|highway|hwy|parkway|pkwy|circle|cir|square|sq)\b(?:\s+(?:NW|NE|SW|SE|N|S|E|W)\b)?(?:,?\s*(?i:apt|apartment|unit|suite|flat)\.?\s*#?\s*\d+[A-Za-z]?\b)?(?:,\s*[A-Z][a-z]+(?:\s[A-Z][a-z]+)*,?\s+[A-Z]{2}(?:\s+\d{5}(?:-\d{4})?)?\b)?(?:\s+\d{5}(?:-\d{4})?\b)?", RegexOptions.CultureInvariant)]
    private static partial Regex Address();

    [GeneratedRegex(@"\b(?:(?i:apt|apartment|unit|suite|flat)\.?\s*#?\s*\d+[A-Za-z]?|(?i:p\.?\s?o\.?\s*box)\s*\d+)\b", RegexOptions.CultureInvariant)]
    private static partial Regex Unit();

    // UK-style postcodes ("SW1A 1AA", "M1 1AE"): distinctive enough to remove anywhere.
    [GeneratedRegex(@"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Postcode();

    // "my brother Kwame", "my aunt named Rosa", "Grandma Lucia", "our neighbour Mr Diallo": a capitalised
    // name (one or two words, a possessive 's left outside) after a family word or a title.
    [GeneratedRegex(@"\b(?:(?i:mother|mom|mum|mommy|mummy|dad|daddy|father|brother|sister|sibling|cousin|aunt|auntie|aunty|uncle|grandma|grandpa|grandmother|grandfather|granny|nana|papa|stepmom|stepmum|stepdad|stepbrother|stepsister|neighbou?r|friend|babysitter|nanny|coach)s?|Mr|Mrs|Ms|Miss|Mx|Dr)\.?,?\s+(?:(?i:named|called)\s+)?(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?(?<name>[A-Z][a-z]+(?:['\u2019\-](?!s\b)[A-Z]?[a-z]+)*)(?:\s+(?<surname>[A-Z][a-z]+(?:['\u2019\-](?!s\b)[A-Z]?[a-z]+)*))?", RegexOptions.CultureInvariant)]
    private static partial Regex NameAfterRelation();

    // "Kwame, my brother": a capitalised name before a family word.
    [GeneratedRegex(@"\b(?<name>[A-Z][a-z]+(?:['\u2019\-](?!s\b)[A-Z]?[a-z]+)*),\s+(?i:my|our|his|her|their)\s+(?i:mother|mom|mum|dad|father|brother|sister|sibling|cousin|aunt|auntie|aunty|uncle|grandma|grandpa|grandmother|grandfather|granny|nana|papa|stepmom|stepmum|stepdad|stepbrother|stepsister|neighbou?r|friend|babysitter|nanny|coach)s?\b", RegexOptions.CultureInvariant)]
    private static partial Regex NameBeforeRelation();

    // Seven or more digits (counted on each match), optionally with a leading + and separated by spaces, dots, dashes or brackets.
    [GeneratedRegex(@"(?<![\w.])\+?\(?\d[\d\s().\-]{5,}\d(?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();
}
