namespace Skillscope.Assessment.Assessing;

/// <summary>
/// What the assessments of a period look like, for the people who watch the models: per skill the
/// distribution of fused scores, the versions that produced them, and how they agree with teacher
/// ratings; and how the feedback texts were written (LLM or template, and why).
/// </summary>
public sealed record ScoreMonitoring(DateTime Since, IReadOnlyList<SkillMonitoring> Skills, IReadOnlyList<FeedbackUsage> Feedback)
{
    /// <summary>Fused scores are counted in this many equal bins over [0, 1].</summary>
    public const int Bins = 10;
}

/// <summary>
/// One skill over the period. <see cref="Histogram"/> counts fused scores per tenth of [0, 1];
/// <see cref="RatingCorrelation"/> is Pearson's r between a fused score and the mean teacher rating of
/// that student and skill, over the <see cref="Rated"/> scores that have one (null below 3 or without spread).
/// </summary>
public sealed record SkillMonitoring(string Skill, long Scores, double MeanFused, IReadOnlyList<long> Histogram, long Rated, double? RatingCorrelation,
    IReadOnlyList<ModelVersionUsage> Versions);

/// <summary>How many of a skill's scores one model version produced, and their mean fused score.</summary>
public sealed record ModelVersionUsage(string Version, long Scores, double MeanFused);

/// <summary>Assessments whose feedback had this source and reason, and the LLM tokens they used (null source: stored before this was recorded).</summary>
public sealed record FeedbackUsage(string? Source, string? Reason, long Assessments, long TokensIn, long TokensOut);
