using Skillscope.Assessment.Evidence;

namespace Skillscope.Storage;

/// <summary>
/// What makes two behaviour events the same event: the source's id when it gave one (unique per
/// student), otherwise the whole content with the time to the tick. Importing a file twice finds every
/// event already stored under its identity and adds nothing.
/// </summary>
internal readonly record struct EventIdentity(string StudentId, string? SourceId, string? SessionId, long Ticks, string? Kind, string? TaskId, double? LatencyMs)
{
    public static EventIdentity Of(BehaviorEvent e) => e.Id is { } id
        ? new EventIdentity(e.StudentId, id, null, 0, null, null, null)
        : new EventIdentity(e.StudentId, null, e.SessionId, SqlTime.Utc(e.At).Ticks, e.Kind, e.TaskId, e.LatencyMs);
}
