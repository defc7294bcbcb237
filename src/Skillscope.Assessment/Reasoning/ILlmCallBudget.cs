namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// How many LLM calls may be made now. Asked once per call (each retry is a call); a refusal means
/// "write the template now", never "wait".
/// </summary>
public interface ILlmCallBudget
{
    /// <summary>Takes one call from the budget; false when the budget is spent (or cannot be checked).</summary>
    ValueTask<bool> TryTakeAsync(CancellationToken cancellation = default);
}
