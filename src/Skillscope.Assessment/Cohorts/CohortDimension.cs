namespace Skillscope.Assessment.Cohorts;

/// <summary>What students are grouped by to compare cohorts.</summary>
public enum CohortDimension
{
    /// <summary>Grade, on each student's latest score.</summary>
    Grade,

    /// <summary>School, on each student's latest score.</summary>
    School,

    /// <summary>School term of the assessment (spring: January to May, summer: June and July, fall: August to December), on each student's latest score in the term: the trend.</summary>
    Term,
}

/// <summary>How a dimension is named in a request.</summary>
public static class CohortDimensions
{
    public const string Names = "grade, school or term";

    /// <summary>The dimension a request names; grade when it names none; null when the name is not one.</summary>
    public static CohortDimension? Parse(string? name) => name switch
    {
        null or "" or "grade" => CohortDimension.Grade,
        "school" => CohortDimension.School,
        "term" => CohortDimension.Term,
        _ => null,
    };

    public static string Name(this CohortDimension dimension) => dimension switch
    {
        CohortDimension.School => "school",
        CohortDimension.Term => "term",
        _ => "grade",
    };

    /// <summary>"2026 fall" for the term key 20263 (year × 10 + 1 spring, 2 summer, 3 fall).</summary>
    public static string TermName(int key) =>
        $"{key / 10} {(key % 10) switch { 1 => "spring", 2 => "summer", _ => "fall" }}";
}
