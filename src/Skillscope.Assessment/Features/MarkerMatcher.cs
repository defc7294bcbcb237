using System.Collections.Frozen;

namespace Skillscope.Assessment.Features;

/// <summary>
/// All lexicons folded into one table keyed by word, so each token costs one lookup: which categories
/// the word belongs to, and which phrases (of which category) start with it.
/// </summary>
internal sealed class MarkerMatcher
{
    private readonly FrozenDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _entries;

    public MarkerMatcher(IReadOnlyList<Lexicon> lexicons)
    {
        Categories = lexicons.Count;
        var words = new Dictionary<string, (int Mask, List<(int Category, string[] Words)> Phrases)>(StringComparer.Ordinal);
        for (int c = 0; c < lexicons.Count; c++)
        {
            foreach (var entry in lexicons[c].Entries)
            {
                var parts = entry.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (!words.TryGetValue(parts[0], out var slot))
                {
                    slot = (0, []);
                }

                if (parts.Length == 1)
                {
                    slot.Mask |= 1 << c;
                }
                else
                {
                    slot.Phrases.Add((c, parts));
                }

                words[parts[0]] = slot;
            }
        }

        _entries = words.ToFrozenDictionary(
            w => w.Key,
            w => new Entry(w.Value.Mask, [.. w.Value.Phrases.OrderByDescending(p => p.Words.Length)]),
            StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Categories { get; }

    /// <summary>
    /// Counts markers per category in one utterance (lowercased), markers of a category never
    /// overlapping, and notes in <paramref name="firstAt"/> the token where each category first matched
    /// (−1 when it did not).
    /// </summary>
    public void Count(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, Span<int> counts, Span<int> busyUntil, Span<int> firstAt)
    {
        busyUntil.Clear();
        firstAt.Fill(-1);
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!_entries.TryGetValue(text.Slice(tokens[i].Start, tokens[i].Length), out var entry))
            {
                continue;
            }

            foreach (var (category, words) in entry.Phrases)
            {
                if (busyUntil[category] <= i && i + words.Length <= tokens.Length && Matches(text, tokens, i, words))
                {
                    counts[category]++;
                    busyUntil[category] = i + words.Length;
                    firstAt[category] = firstAt[category] < 0 ? i : firstAt[category];
                }
            }

            for (int mask = entry.Mask; mask != 0; mask &= mask - 1)
            {
                int category = System.Numerics.BitOperations.TrailingZeroCount(mask);
                if (busyUntil[category] <= i)
                {
                    counts[category]++;
                    busyUntil[category] = i + 1;
                    firstAt[category] = firstAt[category] < 0 ? i : firstAt[category];
                }
            }
        }
    }

    private static bool Matches(ReadOnlySpan<char> text, ReadOnlySpan<Token> tokens, int at, string[] words)
    {
        for (int k = 1; k < words.Length; k++)
        {
            if (words[k] != "*" && !text.Slice(tokens[at + k].Start, tokens[at + k].Length).SequenceEqual(words[k]))
            {
                return false;
            }
        }

        return true;
    }

    private sealed record Entry(int Mask, (int Category, string[] Words)[] Phrases);
}
