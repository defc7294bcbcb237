using System.Collections.Frozen;

namespace Skillscope.Assessment.Features;

/// <summary>
/// One category of language markers: single words and multi-word phrases, lowercase, matched on
/// whole tokens. Lookups take spans, so counting allocates nothing.
/// </summary>
public sealed class Lexicon
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _words;
    private readonly FrozenDictionary<string, string[][]>.AlternateLookup<ReadOnlySpan<char>> _phrasesByFirstWord;

    public Lexicon(string name, IEnumerable<string> entries)
    {
        Name = name;
        var all = entries.Select(e => e.Trim().ToLowerInvariant()).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal).ToArray();
        Entries = all;
        _words = all.Where(e => !e.Contains(' ', StringComparison.Ordinal)).ToFrozenSet(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        _phrasesByFirstWord = all.Where(e => e.Contains(' ', StringComparison.Ordinal))
            .Select(e => e.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderByDescending(p => p.Length).ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public string Name { get; }

    /// <summary>Every word and phrase, as written (lowercase).</summary>
    public IReadOnlyList<string> Entries { get; }

    /// <summary>
    /// How many tokens a marker starting at token <paramref name="at"/> spans (0 when none starts there).
    /// The longest phrase wins, then a single word.
    /// </summary>
    public int MatchAt(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int at)
    {
        var first = text.Slice(tokens[at].Start, tokens[at].Length);
        if (_phrasesByFirstWord.TryGetValue(first, out var phrases))
        {
            foreach (var phrase in phrases)
            {
                if (at + phrase.Length <= tokens.Length && Matches(text, tokens, at, phrase))
                {
                    return phrase.Length;
                }
            }
        }

        return _words.Contains(first) ? 1 : 0;
    }

    private static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int at, string[] phrase)
    {
        for (int i = 1; i < phrase.Length; i++)
        {
            if (phrase[i] != "*" && !text.Slice(tokens[at + i].Start, tokens[at + i].Length).SequenceEqual(phrase[i]))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A token's place in the lowercased text.</summary>
public readonly record struct Token(int Start, int Length);
