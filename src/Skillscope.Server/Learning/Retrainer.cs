using System.Diagnostics;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Assessment.Training;
using Skillscope.Scoring.Monitoring;
using Skillscope.Scoring.Registry;
using Skillscope.Scoring.Serving;
using Skillscope.Storage;

namespace Skillscope.Server.Learning;

/// <summary>
/// One retraining run: every skill model trained again on the students rated so far (the trainer and
/// out-of-fold calibration of <c>train skills</c>), each challenger compared with its champion on the same
/// held-out students (<see cref="ChallengerComparison"/>), registered with the comparison, and — only when at
/// least one challenger is better beyond its interval and none is worse — the better ones started in their
/// champion's shadow. Nothing is promoted here: the shadow's comparison, a guarded canary and an admin come first.
/// </summary>
internal sealed class Retrainer(SqlRegistryStore store, ServerOptions options, SkillCatalog catalog, TrainingOptions settings, TimeProvider time)
{
    /// <summary>The fewest held-out students a comparison is made on.</summary>
    public const int MinimumHeldOut = 200;

    /// <summary>Whether a student is held out: the same students every run, so a champion from an earlier run never trained on them either.</summary>
    public bool IsHeldOut(string studentId) => RetrainHoldout.Contains(studentId, settings.HoldoutPercent);

    /// <summary>Runs, recording the run (started, then done, refused or failed, with its report) and auditing it.</summary>
    /// <exception cref="RetrainRefusedException">Too few rated students: nothing was trained or registered.</exception>
    public async Task<(long Run, RetrainReport Report)> RunAsync(string actor, DateTime? scheduledFor = null, CancellationToken cancellation = default)
    {
        var runs = store.Assessments.RetrainRuns;
        var started = time.GetUtcNow().UtcDateTime;
        if (await runs.StartAsync(scheduledFor, started, actor, cancellation).ConfigureAwait(false) is not { } run)
        {
            throw new RetrainRefusedException($"the run scheduled for {scheduledFor:u} was started by another replica");
        }

        try
        {
            var report = await TrainAndCompareAsync(run, actor, cancellation).ConfigureAwait(false);
            var finished = time.GetUtcNow().UtcDateTime;
            await runs.FinishAsync(run, RetrainRun.Done, report, report.Reason, finished,
                new AuditEntry(0, finished, actor, "retrain.run", $"retrain:{run}", null, $"{report.Decision}: {report.Reason}"), CancellationToken.None).ConfigureAwait(false);
            return (run, report);
        }
        catch (RetrainRefusedException exception)
        {
            var finished = time.GetUtcNow().UtcDateTime;
            await runs.FinishAsync(run, RetrainRun.Refused, null, exception.Message, finished,
                new AuditEntry(0, finished, actor, "retrain.refused", $"retrain:{run}", null, exception.Message), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        catch (Exception exception)
        {
            // A run stopped by shutdown is recorded too: no run stays "running" for ever.
            var finished = time.GetUtcNow().UtcDateTime;
            await runs.FinishAsync(run, RetrainRun.Failed, null, exception.Message, finished,
                new AuditEntry(0, finished, actor, "retrain.failed", $"retrain:{run}", null, exception.Message), CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    private async Task<RetrainReport> TrainAndCompareAsync(long run, string actor, CancellationToken cancellation)
    {
        long start = Stopwatch.GetTimestamp();
        var examples = await SkillTrainingSet.FromStoreAsync(store.Assessments.Inputs, catalog, cancellation: cancellation).ConfigureAwait(false);
        var weak = await WeakLabels.FromStoreAsync(store.Assessments.Inputs, store.Assessments.AccuracyFeedback, catalog, examples, IsHeldOut, cancellation).ConfigureAwait(false);
        double read = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var heldOut = examples.Where(e => IsHeldOut(e.StudentId)).ToList();
        var training = examples.Where(e => !IsHeldOut(e.StudentId)).ToList();
        if (training.Count < settings.MinimumStudents || heldOut.Count < MinimumHeldOut)
        {
            throw new RetrainRefusedException(
                $"too few rated students to retrain: {training.Count:N0} to train on and {heldOut.Count:N0} held out, of {examples.Count:N0} with a rating of every skill " +
                $"({settings.MinimumStudents:N0} and {MinimumHeldOut} are needed); nothing was trained or registered");
        }

        start = Stopwatch.GetTimestamp();
        var models = SkillModelTrainer.Train(training, catalog, (ulong)settings.Seed, weak: weak);
        double train = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double compare = 0;
        var registry = new ModelRegistry(store, options.ModelStoreDirectory);
        var cache = new PackageCache(store, options.ModelStoreDirectory);
        var rows = SkillExamples.Matrix(heldOut);
        var trainingRows = SkillExamples.Matrix(training);
        var skills = new List<SkillRetrain>(models.Count);
        for (int s = 0; s < models.Count; s++)
        {
            var model = models[s];
            string name = SkillModelTrainer.ModelName(model.Skill);
            var (challenger, _) = await PackageRegistration.RegisterOrReuseAsync(registry, name, model.ModelBytes, model.PackageFor, actor, cancellation).ConfigureAwait(false);
            if (await store.Monitoring.GetReferenceAsync(name, challenger, cancellation).ConfigureAwait(false) is null)
            {
                await store.Monitoring.AddReferenceAsync(name, challenger, ProfileBuilder.FromTrainingData(model.PackageFor(challenger), trainingRows, time.GetUtcNow().UtcDateTime),
                    cancellation).ConfigureAwait(false);
            }

            string? champion = (await store.ListAliasesAsync(name, cancellation).ConfigureAwait(false)).FirstOrDefault(a => a.Alias == ModelRegistry.Production)?.Version;
            if (champion is null)
            {
                skills.Add(new SkillRetrain(model.Skill, name, null, challenger, null, SkillRetrain.NoChampion));
                continue;
            }

            start = Stopwatch.GetTimestamp();
            var championPackage = await cache.LoadAsync(await registry.RequireVersionAsync(name, champion, cancellation).ConfigureAwait(false), cancellation).ConfigureAwait(false);
            var ratings = heldOut.Select(e => (double)e.Ratings[s]).ToArray();
            var comparison = ChallengerComparison.Compare(model.Skill, Scores(championPackage, rows), Scores(model.PackageFor(challenger), rows), ratings, settings.Seed + s);
            compare += Stopwatch.GetElapsedTime(start).TotalSeconds;
            skills.Add(new SkillRetrain(model.Skill, name, champion, challenger, challenger == champion ? comparison with { Verdict = ChallengerVerdict.Even, Reason = "the challenger is the champion's model" } : comparison, SkillRetrain.Kept));
        }

        var worse = skills.Where(k => k.Comparison?.Verdict == ChallengerVerdict.Worse).Select(k => k.Skill).ToList();
        var better = skills.Where(k => k.Comparison?.Verdict == ChallengerVerdict.Better).ToList();
        if (worse.Count > 0 || better.Count == 0)
        {
            string reason = worse.Count > 0
                ? $"held: the challengers of {string.Join(", ", worse)} are worse than their champions beyond the interval"
                : "held: no challenger is better than its champion beyond the interval";
            return new RetrainReport(training.Count, heldOut.Count, skills, RetrainReport.Held, reason, Round(read), Round(train), Round(compare)) { WeakLabels = weak.Count };
        }

        var now = time.GetUtcNow().UtcDateTime;
        var underWay = (await store.Rollouts.ListRolloutsAsync(cancellation).ConfigureAwait(false)).Where(r => r.IsActive).Select(r => r.Model).ToHashSet(StringComparer.Ordinal);
        for (int k = 0; k < skills.Count; k++)
        {
            if (skills[k].Comparison is { Verdict: ChallengerVerdict.Better } && underWay.Contains(skills[k].Model))
            {
                // A rollout under way is left to finish (or stop): a second one would fight it for the shadow and the split.
                better.RemoveAll(b => b.Model == skills[k].Model);
                continue;
            }

            if (skills[k].Comparison is { Verdict: ChallengerVerdict.Better } won)
            {
                // The rollout is recorded first; a check before the shadow below is started starts it itself (RolloutAdvancer's grace).
                await store.Rollouts.StartRolloutAsync(new Rollout(skills[k].Model, skills[k].Challenger, skills[k].Champion!, run, Rollout.Shadow, now, won.Reason, now),
                    new AuditEntry(0, now, actor, $"rollout.{Rollout.Shadow}", $"{skills[k].Model}@{skills[k].Challenger}", skills[k].Champion, $"retraining run {run}: {won.Reason}"),
                    cancellation).ConfigureAwait(false);
                await registry.ShadowAsync(skills[k].Model, skills[k].Challenger, settings.ShadowPercent, null, actor, cancellation).ConfigureAwait(false);
                skills[k] = skills[k] with { Step = SkillRetrain.Shadow };
            }
        }

        string waiting = underWay.Count == 0 ? "" : $"; models with a rollout under way were left to it ({string.Join(", ", underWay.Order(StringComparer.Ordinal))})";
        return new RetrainReport(training.Count, heldOut.Count, skills, better.Count > 0 ? RetrainReport.Shadowed : RetrainReport.Held,
            (better.Count > 0 ? $"{string.Join(", ", better.Select(b => b.Skill))}: better beyond the interval and nothing worse; started in their champions' shadow at {settings.ShadowPercent} %"
                : "held: every better challenger's model has a rollout under way") + waiting,
            Round(read), Round(train), Round(compare)) { WeakLabels = weak.Count };
    }

    private static double Round(double seconds) => Math.Round(seconds, 2);

    private static double[] Scores(Scoring.Packages.ModelPackage package, float[] rows)
    {
        var scorer = new PackageScorer(package);
        var output = new float[rows.Length / FeatureSet.Count];
        scorer.ScoreBatch(rows, output);
        var scores = new double[output.Length];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = output[i];
        }

        return scores;
    }
}
