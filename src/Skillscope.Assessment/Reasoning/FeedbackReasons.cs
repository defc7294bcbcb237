namespace Skillscope.Assessment.Reasoning;

/// <summary>Why a feedback text is what it is: stored with every text, and the label of the fallback metric.</summary>
public static class FeedbackReasons
{
    /// <summary>The LLM wrote it.</summary>
    public const string Written = "ok";

    /// <summary>The LLM wrote it earlier for the same evidence, prompt version and model.</summary>
    public const string Cached = "cache_hit";

    public const string Disabled = "llm_disabled";
    public const string NotConfigured = "llm_not_configured";
    public const string NoEvidence = "no_evidence";
    public const string OverBudget = "over_budget";
    public const string RateLimited = "rate_limited";
    public const string UpstreamRateLimited = "upstream_rate_limited";
    public const string UpstreamError = "upstream_error";
    public const string Timeout = "timeout";
    public const string InvalidOutput = "invalid_output";
    public const string CircuitOpen = "circuit_open";

    /// <summary>The roster's names could not be read, so nothing could be redacted and nothing was sent.</summary>
    public const string RedactionUnavailable = "redaction_unavailable";

    /// <summary>
    /// An LLM's text was replaced by the template because a sentence it was written from is no longer kept
    /// (retention): the LLM may have quoted it in any form (redacted, paraphrased), so its text cannot be trusted to be free of it.
    /// </summary>
    public const string SourceRemoved = "source_removed";

    /// <summary>The student's district does not let an LLM write its students' feedback.</summary>
    public const string DistrictLlmOff = "district_llm_off";

    /// <summary>The student's district's LLM-written feedback for the day is spent (or could not be checked).</summary>
    public const string DistrictBudgetSpent = "district_budget_spent";
}
