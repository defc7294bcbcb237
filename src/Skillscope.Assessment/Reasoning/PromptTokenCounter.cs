using Microsoft.ML.Tokenizers;

namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// Counts a chat prompt's tokens as the model's API will (<c>usage.prompt_tokens</c>): the model's own BPE
/// tokenizer from Microsoft.ML.Tokenizers (chosen by model name: o200k for gpt-4o, gpt-4.1 and the o-series,
/// cl100k for gpt-4 and gpt-3.5) plus the chat format's framing. For a model whose tokenizer is not known (a
/// local or third-party model behind a compatible endpoint) it falls back to <see cref="TokenEstimator"/>,
/// which counts more than a BPE tokenizer does, never fewer, and says so in <see cref="Exact"/>.
/// </summary>
public sealed class PromptTokenCounter
{
    /// <summary>Tokens a chat API adds per message (role and separators), and once to prime the reply.</summary>
    public const int PerMessage = 4;

    public const int ReplyPriming = 3;

    private readonly Tokenizer? _tokenizer;

    private PromptTokenCounter(Tokenizer? tokenizer) => _tokenizer = tokenizer;

    /// <summary>Whether counts come from the model's tokenizer (else they are estimates from above).</summary>
    public bool Exact => _tokenizer is not null;

    /// <summary>The counter for <paramref name="model"/>; loading a tokenizer's data takes a moment, so keep one.</summary>
    public static PromptTokenCounter ForModel(string model)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(model);
        try
        {
            return new PromptTokenCounter(TiktokenTokenizer.CreateForModel(model));
        }
        catch (Exception exception) when (exception is NotSupportedException or InvalidOperationException or IOException or ArgumentException)
        {
            // Not known (NotSupported), or known with a vocabulary the product does not ship (gpt2, p50k,
            // r50k: their data packages are not referenced, so loading fails): estimated, never fatal.
            return new PromptTokenCounter(null);
        }
    }

    /// <summary>Prompt tokens of chat messages with these contents: each message's, its framing, and the reply's priming.</summary>
    public int CountMessages(params ReadOnlySpan<string> contents)
    {
        int total = ReplyPriming;
        foreach (string content in contents)
        {
            total += PerMessage + (_tokenizer?.CountTokens(content) ?? TokenEstimator.Estimate(content));
        }

        return total;
    }
}
