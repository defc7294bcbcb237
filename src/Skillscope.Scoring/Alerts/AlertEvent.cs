namespace Skillscope.Scoring.Alerts;

/// <summary>
/// An alert firing or resolving: what is delivered, and the history. <see cref="Id"/> is 0 until stored;
/// <see cref="Type"/> is <see cref="Fired"/> or <see cref="ResolvedType"/>; <see cref="Message"/> is one
/// sentence a district admin can read.
/// </summary>
public sealed record AlertEvent(long Id, string RuleId, string Kind, string Subject, string Type, DateTime At, double Value, double Threshold, string Message)
{
    public const string Fired = "firing";

    public const string ResolvedType = "resolved";
}
