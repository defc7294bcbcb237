using Skillscope.Assessment.Reasoning;

namespace Skillscope.Server.Dashboard;

/// <summary>Why a feedback text is what it is, in words (the stored reason code stays in the data and the API).</summary>
public static class FeedbackReasonText
{
    /// <summary>"no AI assistant is set up" for <c>llm_not_configured</c>; unknown codes read as their words.</summary>
    public static string Of(string? reason) => reason switch
    {
        null => "—",
        FeedbackReasons.Written => "written by the AI assistant",
        FeedbackReasons.Cached => "reused for the same evidence",
        FeedbackReasons.NotConfigured => "no AI assistant is set up",
        FeedbackReasons.Disabled => "AI feedback is switched off",
        FeedbackReasons.NoEvidence => "no evidence yet",
        FeedbackReasons.OverBudget => "the evidence was too long to send",
        FeedbackReasons.RateLimited => "this installation's AI budget was used up",
        FeedbackReasons.UpstreamRateLimited => "the AI service asked to slow down",
        FeedbackReasons.UpstreamError => "the AI service failed",
        FeedbackReasons.Timeout => "the AI service did not answer in time",
        FeedbackReasons.InvalidOutput => "the AI's answer did not pass the checks",
        FeedbackReasons.CircuitOpen => "the AI service is paused after repeated failures",
        FeedbackReasons.RedactionUnavailable => "names could not be removed, so nothing was sent",
        FeedbackReasons.SourceRemoved => "a sentence it used is no longer kept",
        _ => reason.Replace('_', ' '),
    };
}
