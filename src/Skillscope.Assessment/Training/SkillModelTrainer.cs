using System.Security.Cryptography;
using System.Runtime.InteropServices;
using Skillscope.Assessment.Features;
using Skillscope.Assessment.Skills;
using Skillscope.Scoring.Packages;
using Skillscope.Trees;
using Skillscope.Trees.Evaluation;
using Skillscope.Trees.Metrics;
using Skillscope.Trees.Training;

namespace Skillscope.Assessment.Training;

/// <summary>
/// Trains one model per skill on feature set 1: label "high" = teacher rating 3 or 4. Students are
/// split 70/15/15 into training, early stopping and test. The calibration is chosen and fitted on
/// out-of-fold scores of the first 85% (five models trained like the final one, each scoring the
/// fifth it did not see): 85% of the students instead of the 15% held out for early stopping, which
/// on a district of 2,000 left too few to calibrate well (expected calibration error up to 0.035 on a
/// new district). Metrics are measured on the test students, including Pearson r of the score with
/// the teacher's rating and, for generated data, with the latent skill. Weak labels from teachers' accuracy answers,
/// when given, join the training students of their skill with their weight (and each calibration fold's training
/// students, so the calibration fits models trained like the final one); no one is judged on them.
/// </summary>
public static class SkillModelTrainer
{
    /// <summary>Model names in the registry: <c>skill_empathy</c>, …</summary>
    public static string ModelName(string skill) => Inference.SkillInference.ModelName(skill);

    public static IReadOnlyList<SkillModel> Train(IReadOnlyList<SkillExample> examples, SkillCatalog catalog, ulong seed, int threads = 0,
        IReadOnlyList<WeakExample>? weak = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(catalog);
        if (examples.Count < 200)
        {
            throw new TrainingException($"{examples.Count} students are too few to train skill models; use at least 200");
        }

        int n = examples.Count, trainEnd = n * 70 / 100, calibrationEnd = n * 85 / 100;
        var features = new float[n * FeatureSet.Count];
        for (int i = 0; i < n; i++)
        {
            examples[i].Features.Values.CopyTo(features, i * FeatureSet.Count);
        }

        string dataHash = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(features.AsSpan(0, trainEnd * FeatureSet.Count))));
        var models = new List<SkillModel>(catalog.Skills.Count);
        for (int s = 0; s < catalog.Skills.Count; s++)
        {
            string skill = catalog.Skills[s];
            var labels = examples.Select(e => e.Ratings[s] >= 3 ? 1f : 0f).ToArray();
            var weakRows = WeakRows(weak, s);
            var train = WithWeak(Slice(features, labels, 0, trainEnd), weakRows);
            var calibration = Slice(features, labels, trainEnd, calibrationEnd);
            var test = Slice(features, labels, calibrationEnd, n);
            var parameters = new TrainingParameters
            {
                Objective = "binary:logistic", NumRound = 300, MaxDepth = 4, Eta = 0.08, Subsample = 0.9, ColsampleByTree = 0.9,
                MinChildWeight = 2, EarlyStoppingRounds = 25, EvalMetric = "logloss", Seed = seed + (ulong)s, Threads = threads,
            };
            var trained = GradientBoostingTrainer.Train(train, parameters, calibration);
            var model = trained.ToScoringModel();
            var calibrator = CalibrationSelector.Choose(
                OutOfFoldScores(features, labels, calibrationEnd, parameters with { NumRound = trained.TreeCount, EarlyStoppingRounds = null }, weakRows),
                Doubles(labels[..calibrationEnd]));
            var evaluation = ModelEvaluator.Evaluate(ModelName(skill), model, test, calibrator is null ? null : (calibrator.Method, calibrator.Apply));

            var testScores = Scores(model, test).Select(p => calibrator?.Apply(p) ?? p).ToArray();
            var testLabels = Doubles(test.Labels);
            var metrics = new Dictionary<string, double>
            {
                ["test_auc"] = Round(ClassificationMetrics.RocAuc(testScores, testLabels)),
                ["test_logloss"] = Round(ClassificationMetrics.LogLoss(testScores, testLabels)),
                ["test_brier"] = Round(ClassificationMetrics.BrierScore(testScores, testLabels)),
                ["test_ece"] = Round(ClassificationMetrics.ExpectedCalibrationError(testScores, testLabels)),
                ["test_pearson_r_teacher_rating"] = Round(RegressionMetrics.Pearson(testScores, [.. examples.Skip(calibrationEnd).Select(e => (double)e.Ratings[s])])),
                ["test_spearman_r_teacher_rating"] = Round(RegressionMetrics.Spearman(testScores, [.. examples.Skip(calibrationEnd).Select(e => (double)e.Ratings[s])])),
            };
            if (weakRows.Count > 0)
            {
                metrics["weak_labels"] = weakRows.Count;
            }

            if (examples[0].Latent is not null)
            {
                metrics["test_pearson_r_latent"] = Round(RegressionMetrics.Pearson(testScores, [.. examples.Skip(calibrationEnd).Select(e => e.Latent![s])]));
            }

            var bytes = trained.ToUbjson();
            ModelPackage PackageFor(string version) => ModelPackage.Create(
                bytes,
                new ModelMetadata
                {
                    Name = ModelName(skill),
                    Version = version,
                    Created = DateTimeOffset.UtcNow,
                    TrainingDataSha256 = dataHash,
                    Metrics = metrics,
                    Description = $"Probability that the student's {skill.Replace('_', ' ')} is high (teacher rating 3–4), from feature set {FeatureSet.Version}; calibration: {calibrator?.Method ?? "none"}",
                },
                FeatureSet.Schema(),
                calibration: calibrator);
            models.Add(new SkillModel(skill, bytes, PackageFor, evaluation, metrics));
        }

        return models;
    }

    private const int CalibrationFolds = 5;

    /// <summary>Every one of the first <paramref name="count"/> students scored by a model that did not train on them (interleaved folds).</summary>
    private static double[] OutOfFoldScores(float[] features, float[] labels, int count, TrainingParameters parameters, IReadOnlyList<WeakExample> weak)
    {
        var scores = new double[count];
        for (int fold = 0; fold < CalibrationFolds; fold++)
        {
            var inside = Enumerable.Range(0, count).Where(i => i % CalibrationFolds != fold).ToArray();
            var outside = Enumerable.Range(0, count).Where(i => i % CalibrationFolds == fold).ToArray();
            var model = GradientBoostingTrainer.Train(WithWeak(Rows(features, labels, inside), weak), parameters with { Seed = parameters.Seed + (ulong)(fold + 1) * 1_000 }).ToScoringModel();
            var held = Scores(model, Rows(features, labels, outside));
            for (int j = 0; j < outside.Length; j++)
            {
                scores[outside[j]] = held[j];
            }
        }

        return scores;
    }

    private static TrainingData Rows(float[] features, float[] labels, int[] rows)
    {
        var picked = new float[rows.Length * FeatureSet.Count];
        for (int j = 0; j < rows.Length; j++)
        {
            features.AsSpan(rows[j] * FeatureSet.Count, FeatureSet.Count).CopyTo(picked.AsSpan(j * FeatureSet.Count));
        }

        return new TrainingData(picked, [.. rows.Select(r => labels[r])], FeatureSet.Count, FeatureSet.Names);
    }

    private static List<WeakExample> WeakRows(IReadOnlyList<WeakExample>? weak, int skill)
    {
        var rows = new List<WeakExample>();
        foreach (var example in weak ?? [])
        {
            if (example.Skill == skill)
            {
                rows.Add(example);
            }
        }

        return rows;
    }

    /// <summary>The rated rows (weight 1) followed by the weak ones with their weights.</summary>
    private static TrainingData WithWeak(TrainingData rated, IReadOnlyList<WeakExample> weak)
    {
        if (weak.Count == 0)
        {
            return rated;
        }

        var features = new float[(rated.RowCount + weak.Count) * FeatureSet.Count];
        rated.Features.CopyTo(features, 0);
        var labels = new float[rated.RowCount + weak.Count];
        rated.Labels.CopyTo(labels, 0);
        var weights = new float[labels.Length];
        Array.Fill(weights, 1f, 0, rated.RowCount);
        for (int j = 0; j < weak.Count; j++)
        {
            weak[j].Features.Values.CopyTo(features, (rated.RowCount + j) * FeatureSet.Count);
            labels[rated.RowCount + j] = weak[j].Label;
            weights[rated.RowCount + j] = weak[j].Weight;
        }

        return new TrainingData(features, labels, FeatureSet.Count, FeatureSet.Names, weights);
    }

    private static TrainingData Slice(float[] features, float[] labels, int start, int end) =>
        new(features[(start * FeatureSet.Count)..(end * FeatureSet.Count)], labels[start..end], FeatureSet.Count, FeatureSet.Names);

    private static double[] Scores(XgboostModel model, TrainingData data)
    {
        var output = new float[data.RowCount];
        model.Predictor.PredictBatch(data.Features, output);
        return Doubles(output);
    }

    private static double[] Doubles(IReadOnlyList<float> values) => [.. values.Select(v => (double)v)];

    private static double Round(double value) => Math.Round(value, 5);
}
