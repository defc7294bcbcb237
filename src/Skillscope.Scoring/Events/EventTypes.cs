namespace Skillscope.Scoring.Events;

/// <summary>
/// The events a subscription can ask for. <see cref="AssessmentCompleted"/> concerns one district (the
/// student's); promotions concern every district; jobs (which count every district's students) and alerts
/// concern the installation's operators, so only a subscription bound to no district may take them.
/// </summary>
public static class EventTypes
{
    public const string AssessmentCompleted = "assessment.completed";

    public const string JobCompleted = "job.completed";

    public const string ModelPromoted = "model.promoted";

    public const string AlertFiring = "alert.firing";

    public const string AlertResolved = "alert.resolved";

    public static IReadOnlyList<string> All { get; } = [AssessmentCompleted, JobCompleted, ModelPromoted, AlertFiring, AlertResolved];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);

    /// <summary>True for the events a district's subscription may not take.</summary>
    public static bool IsInstallationOnly(string type) => type is JobCompleted or AlertFiring or AlertResolved;

    /// <summary>How a subscription's events are stored: a comma before and after each, so one is matched with <c>LIKE '%,type,%'</c>.</summary>
    public static string Stored(IEnumerable<string> types) => "," + string.Join(',', types) + ",";

    /// <summary>The pattern that matches a stored list holding <paramref name="type"/>.</summary>
    public static string Pattern(string type) => "%," + type + ",%";

    public static IReadOnlyList<string> Parse(string stored) => stored.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
