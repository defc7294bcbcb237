using System.Diagnostics;

namespace Skillscope.Assessment;

/// <summary>
/// The spans the assessment layer starts (LLM calls, batch chunks). They cost nothing unless a tracer
/// listens: the host subscribes to <see cref="SourceName"/> only when traces are exported.
/// </summary>
public static class AssessmentActivities
{
    public const string SourceName = "Skillscope.Assessment";

    // An ActivitySource is immutable and meant to live as long as the process; one per layer is the convention.
    internal static readonly ActivitySource Source = new(SourceName);
}
