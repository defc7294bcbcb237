namespace Skillscope.Assessment.Reasoning;

/// <summary>Whether feedback is written by an LLM.</summary>
public enum ReasoningMode
{
    /// <summary>Never call an LLM: template feedback only.</summary>
    Off,

    /// <summary>Call the LLM when a key is configured; template feedback otherwise.</summary>
    Auto,

    /// <summary>A key must be configured (start-up fails without one); failures still fall back to the template.</summary>
    Required,
}

/// <summary>
/// How LLM feedback is written: the OpenAI-compatible endpoint, the model and its limits. Read from the
/// <c>Reasoning</c> configuration section (docs/REASONING.md lists every setting and its default).
/// </summary>
public sealed record ReasoningOptions
{
    public ReasoningMode Mode { get; init; } = ReasoningMode.Auto;

    /// <summary>Base URL of the chat-completions API, e.g. <c>http://127.0.0.1:11434/v1</c>; null means OpenAI's own.</summary>
    public Uri? Endpoint { get; init; }

    public string Model { get; init; } = "gpt-4o-mini";

    /// <summary>The key; never logged, never serialised. Null or empty means "not configured".</summary>
    public string? ApiKey { get; init; }

    /// <summary>Time allowed for one call, retries not included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    public int MaxOutputTokens { get; init; } = 800;

    public float Temperature { get; init; } = 0.3f;

    /// <summary>Estimated prompt tokens allowed; evidence is cut (all → 10 → 5 → 3 items) to fit, then the template is used.</summary>
    public int MaxPromptTokens { get; init; } = 2_500;

    /// <summary>LLM calls allowed per minute and per hour in this process (token buckets; retries count).</summary>
    public int CallsPerMinute { get; init; } = 50;

    public int CallsPerHour { get; init; } = 500;

    /// <summary>Calls in flight at once, across API requests and batch jobs.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Retries after a 429, a 5xx, a timeout or a lost connection.</summary>
    public int MaxRetries { get; init; } = 2;

    /// <summary>A Retry-After longer than this is not waited for: the template is used at once.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Base delay of the exponential, jittered back-off between retries.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The circuit opens when this share of calls fails within <see cref="BreakerSampling"/> (and at least <see cref="BreakerMinimumCalls"/> were made).</summary>
    public double BreakerFailureRatio { get; init; } = 0.5;

    public int BreakerMinimumCalls { get; init; } = 6;

    public TimeSpan BreakerSampling { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long an open circuit sends everything to the template before one trial call.</summary>
    public TimeSpan BreakerOpenFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a cached text is reused for the same redacted evidence, prompt version and model; zero disables the cache.</summary>
    public TimeSpan CacheTtl { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Prices per million tokens, for the estimated-cost metric (0 = unknown).</summary>
    public double InputPricePerMillion { get; init; }

    public double OutputPricePerMillion { get; init; }

    /// <summary>Ask for <c>json_schema</c> structured output (true), or only <c>json_object</c> for servers that lack it.</summary>
    public bool StrictSchema { get; init; } = true;

    public bool HasKey => !string.IsNullOrWhiteSpace(ApiKey);

    /// <summary>Why the LLM is not used, or null when it is.</summary>
    public string? DisabledReason => Mode == ReasoningMode.Off ? FeedbackReasons.Disabled : HasKey ? null : FeedbackReasons.NotConfigured;

    /// <summary>Refuses settings that cannot work, naming the setting.</summary>
    public void Validate()
    {
        if (Mode == ReasoningMode.Required && !HasKey)
        {
            throw new ReasoningConfigurationException("Reasoning:Mode is \"required\" but no key is configured: set Reasoning:ApiKey (e.g. the Reasoning__ApiKey environment variable) or Reasoning:ApiKeyFile, or set Reasoning:Mode to \"auto\"");
        }

        if (Endpoint is { } endpoint && (!endpoint.IsAbsoluteUri || endpoint.Scheme is not ("http" or "https")))
        {
            throw new ReasoningConfigurationException("Reasoning:Endpoint must be an absolute http(s) URL such as http://127.0.0.1:11434/v1");
        }

        Require(!string.IsNullOrWhiteSpace(Model), "Reasoning:Model must name a model");
        Require(Timeout > TimeSpan.Zero, "Reasoning:TimeoutSeconds must be positive");
        Require(MaxOutputTokens is > 0 and <= 100_000, "Reasoning:MaxOutputTokens must be between 1 and 100000");
        Require(Temperature is >= 0 and <= 2, "Reasoning:Temperature must be between 0 and 2");
        Require(MaxPromptTokens >= 200, "Reasoning:MaxPromptTokens must be at least 200");
        Require(CallsPerMinute > 0 && CallsPerHour > 0, "Reasoning:CallsPerMinute and Reasoning:CallsPerHour must be positive");
        Require(MaxConcurrency is > 0 and <= 256, "Reasoning:MaxConcurrency must be between 1 and 256");
        Require(MaxRetries is >= 0 and <= 10, "Reasoning:MaxRetries must be between 0 and 10");
        Require(BreakerFailureRatio is > 0 and <= 1, "Reasoning:BreakerFailureRatio must be in (0, 1]");
        Require(BreakerMinimumCalls >= 2, "Reasoning:BreakerMinimumCalls must be at least 2");
        Require(CacheTtl >= TimeSpan.Zero, "Reasoning:CacheTtlHours must not be negative");
        Require(InputPricePerMillion >= 0 && OutputPricePerMillion >= 0, "Reasoning prices must not be negative");
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() =>
        $"Reasoning {{ Mode = {Mode}, Endpoint = {Endpoint?.ToString() ?? "(OpenAI)"}, Model = {Model}, Key = {(HasKey ? "(set)" : "(none)")} }}";

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ReasoningConfigurationException(message);
        }
    }
}

/// <summary>Reasoning settings that cannot work; the message names the setting.</summary>
public sealed class ReasoningConfigurationException(string message) : Exception(message);
