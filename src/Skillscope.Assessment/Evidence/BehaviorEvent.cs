namespace Skillscope.Assessment.Evidence;

/// <summary>One event from a learning activity or game.</summary>
/// <param name="StudentId">Whose event.</param>
/// <param name="SessionId">The play session.</param>
/// <param name="At">When (UTC).</param>
/// <param name="Kind">One of <see cref="BehaviorKinds"/>.</param>
/// <param name="TaskId">The task it concerns, when it concerns one.</param>
/// <param name="LatencyMs">For <c>response</c> events: how long the student took to respond.</param>
/// <param name="Id">The source system's event id, when it has one; otherwise the event is identified by its content.</param>
public sealed record BehaviorEvent(string StudentId, string SessionId, DateTime At, string Kind, string? TaskId = null, double? LatencyMs = null, string? Id = null);

/// <summary>The event kinds the behavioral features understand; others are stored but not counted.</summary>
public static class BehaviorKinds
{
    public const string SessionStarted = "session_started";
    public const string TaskStarted = "task_started";
    public const string TaskCompleted = "task_completed";
    public const string TaskFailed = "task_failed";
    public const string Retry = "retry";
    public const string HintUsed = "hint_used";
    public const string HelpRequested = "help_requested";
    public const string CollaborationAction = "collaboration_action";
    public const string Response = "response";

    public static readonly string[] All =
        [SessionStarted, TaskStarted, TaskCompleted, TaskFailed, Retry, HintUsed, HelpRequested, CollaborationAction, Response];
}
