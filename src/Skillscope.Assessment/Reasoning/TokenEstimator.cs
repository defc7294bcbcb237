namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Estimates how many tokens a chat prompt costs without the model's tokenizer: the fallback of
/// <see cref="PromptTokenCounter"/> for a model whose tokenizer is not known. It is deliberately
/// pessimistic — it should count more than a BPE tokenizer (o200k/cl100k) does, never fewer — so a
/// prompt it accepts fits the budget. docs/REASONING.md records its measured error.
/// </summary>
public static class TokenEstimator
{
    /// <summary>Estimated tokens of one text.</summary>
    public static int Estimate(ReadOnlySpan<char> text)
    {
        int tokens = 0, i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int start = i;
            if (IsAsciiLetter(c))
            {
                while (i < text.Length && IsAsciiLetter(text[i]))
                {
                    i++;
                }

                // Common words are one token; long or rare ones split into pieces of about five letters.
                int length = i - start;
                tokens += length <= 6 ? 1 : 1 + ((length - 6 + 4) / 5);
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                tokens += (i - start + 2) / 3;
            }
            else if (c == ' ')
            {
                // A single space joins the next word's or punctuation's token (not a number's); runs of
                // spaces are tokens of their own.
                while (i < text.Length && text[i] == ' ')
                {
                    i++;
                }

                if (i - start > 1 || (i < text.Length && char.IsAsciiDigit(text[i])))
                {
                    tokens++;
                }
            }
            else if (char.IsWhiteSpace(c))
            {
                while (i < text.Length && char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens++;
            }
            else if (char.IsHighSurrogate(c))
            {
                // Emoji and other astral characters: up to four bytes, often several tokens.
                tokens += 3;
                i += 2;
            }
            else if (c < 128)
            {
                // Runs of ASCII punctuation: BPE merges common pairs such as "\":" or "},", rarely more.
                while (i < text.Length && text[i] < 128 && !char.IsAsciiLetterOrDigit(text[i]) && !char.IsWhiteSpace(text[i]))
                {
                    i++;
                }

                tokens += (i - start + 1) / 2;
            }
            else
            {
                // Other non-ASCII characters: UTF-8 takes two or three bytes, which BPE rarely merges across words.
                tokens += 2;
                i++;
            }
        }

        return tokens;
    }

    private static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
}
