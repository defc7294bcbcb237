namespace Skillscope.Assessment.Reasoning;

/// <summary>
/// How much LLM-written feedback each district has had in a day, against the limit its admin set; shared by
/// every process, so replicas together keep a district within it.
/// </summary>
public interface IDistrictLlmUsage
{
    /// <summary>Counts one text for the district on <paramref name="day"/> (UTC); false, counting nothing, when it has had <paramref name="limit"/> already.</summary>
    ValueTask<bool> TryTakeAsync(string districtId, DateOnly day, int limit, CancellationToken cancellation = default);

    /// <summary>Gives back a text taken on <paramref name="day"/> that the LLM did not write (it failed, or no call could be made).</summary>
    ValueTask ReturnAsync(string districtId, DateOnly day, CancellationToken cancellation = default);
}
