namespace Skillscope.Assessment.Reports;

/// <summary>Who a student report is written for.</summary>
public enum ReportAudience
{
    /// <summary>The teacher: bands with the level behind them, the evidence in plain words, the class's average.</summary>
    Teacher,

    /// <summary>The family: plain language, bands only (no scores), growth framing, nothing about any other student.</summary>
    Family,
}

/// <summary>How an audience is named in a request (<c>teacher</c>, <c>family</c>).</summary>
public static class ReportAudiences
{
    public const string Names = "teacher or family";

    /// <summary>The audience a request names; teacher when it names none; null when the name is not one.</summary>
    public static ReportAudience? Parse(string? name) => name switch
    {
        null or "" or "teacher" => ReportAudience.Teacher,
        "family" => ReportAudience.Family,
        _ => null,
    };

    public static string Name(this ReportAudience audience) => audience == ReportAudience.Family ? "family" : "teacher";
}
