using Skillscope.Assessment.Training;

namespace Skillscope.Server.Endpoints;

/// <summary>Each model's latest rollout.</summary>
internal sealed record RolloutsResponse(string RequestId, IReadOnlyList<Skillscope.Scoring.Registry.Rollout> Rollouts);

/// <summary>Retraining runs, newest first.</summary>
internal sealed record RetrainRunsResponse(string RequestId, IReadOnlyList<RetrainRunView> Runs);

/// <summary>
/// One retraining run: when it was due (scheduled runs), started and finished, who started it, its status
/// (running, done, refused, failed), the students it trained on and held out, the decision and each skill's comparison.
/// </summary>
internal sealed record RetrainRunView(long Id, DateTime? ScheduledFor, DateTime StartedAt, DateTime? FinishedAt, string Actor, string Status, string? Message,
    int? Students, int? HeldOut, string? Decision, double? TrainSeconds, double? CompareSeconds, IReadOnlyList<RetrainSkillView>? Skills)
{
    public static RetrainRunView Of(RetrainRun run) => new(run.Id, run.ScheduledFor, run.StartedAt, run.FinishedAt, run.Actor, run.Status, run.Message,
        run.Report?.Students, run.Report?.HeldOut, run.Report?.Decision, run.Report?.TrainSeconds, run.Report?.CompareSeconds, run.Report?.Skills.Select(RetrainSkillView.Of).ToList());
}

/// <summary>
/// One skill in a run: champion and challenger versions, the step taken (shadow, kept, no_champion), the verdict
/// and why, each model's quality on the held-out students, and the changes with their 95 % intervals.
/// </summary>
internal sealed record RetrainSkillView(string Skill, string Model, string? Champion, string Challenger, string Step, string? Verdict, string? Reason,
    QualityView? ChampionQuality, QualityView? ChallengerQuality, ChangeView? Auc, ChangeView? LogLoss, ChangeView? Ece, ChangeView? RWithRating)
{
    public static RetrainSkillView Of(SkillRetrain skill)
    {
        var c = skill.Comparison;
        return new(skill.Skill, skill.Model, skill.Champion, skill.Challenger, skill.Step, c?.Verdict, c?.Reason, QualityView.Of(c?.Champion), QualityView.Of(c?.Challenger),
            ChangeView.Of(c?.Auc), ChangeView.Of(c?.LogLoss), ChangeView.Of(c?.Ece), ChangeView.Of(c?.RWithRating));
    }
}

/// <summary>A model's AUC, log loss, calibration error and r with ratings on the held-out students (null where undefined).</summary>
internal sealed record QualityView(double? Auc, double? LogLoss, double? Ece, double? RWithRating)
{
    public static QualityView? Of(ModelQuality? quality) =>
        quality is null ? null : new(Finite(quality.Auc), Finite(quality.LogLoss), Finite(quality.Ece), Finite(quality.RWithRating));

    internal static double? Finite(double value) => double.IsFinite(value) ? Math.Round(value, 5) : null;
}

/// <summary>Challenger less champion, with its 95 % paired bootstrap interval.</summary>
internal sealed record ChangeView(double? Value, double? Low, double? High)
{
    public static ChangeView? Of(QualityChange? change) =>
        change is null ? null : new(QualityView.Finite(change.Value), QualityView.Finite(change.Low), QualityView.Finite(change.High));
}
