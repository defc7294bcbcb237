using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Skillscope.Scoring.Packages;
using Skillscope.Scoring.Registry;
using Skillscope.Server;
using Skillscope.Trees.Metrics;
using Skillscope.Trees.Training;

namespace Skillscope.Cli.Demo;

/// <summary>
/// The CRM lead-conversion case end to end: generate leads, train, calibrate on held-out leads,
/// evaluate on others, package with a schema, register and promote <c>lead_conversion</c>, and load
/// the test leads into the feature store so they can be scored by id.
/// </summary>
internal static class LeadDemo
{
    public const string ModelName = "lead_conversion";

    private static readonly FeatureSpec[] Schema =
    [
        new("source", "int", 0, 4, "0 web form, 1 referral, 2 event, 3 paid ads, 4 cold outreach"),
        new("company_employees", "int", 1, 10_000_000, "Employees at the lead's company"),
        new("industry_fit", "float", 0, 1, "How well the industry matches the ideal customer profile"),
        new("region_tier", "int", 1, 3, "Sales region tier (1 = core market)"),
        new("pages_viewed", "int", 0, 100_000, "Website pages viewed"),
        new("pricing_page_visits", "int", 0, 10_000, "Visits to the pricing page"),
        new("email_opens", "int", 0, 10_000, "Marketing emails opened"),
        new("email_clicks", "int", 0, 10_000, "Marketing email links clicked"),
        new("demo_requested", "bool", 0, 1, "Asked for a demo"),
        new("trial_active", "bool", 0, 1, "Has an active trial"),
        new("sales_touches", "int", 0, 1_000, "Calls and emails from sales"),
        new("decision_maker_contacted", "bool", 0, 1, "Sales has reached a decision maker"),
        new("budget_known", "bool", 0, 1, "The lead's budget is known"),
        new("days_since_first_touch", "int", 0, 36_500, "Days since the first contact"),
        new("days_since_last_activity", "int", 0, 36_500, "Days since the lead last did anything"),
    ];

    public static async Task<int> RunAsync(int leads, int seed, ServerOptions options, TextWriter output)
    {
        var (ids, features, converted) = new LeadGenerator(seed).Generate(leads);
        int width = LeadGenerator.FeatureNames.Length;
        int trainEnd = leads * 70 / 100, calibrationEnd = leads * 85 / 100;
        output.WriteLine($"generated {leads:N0} leads (seed {seed}); {converted.Average():P1} converted");

        var train = Slice(features, converted, width, 0, trainEnd);
        var calibration = Slice(features, converted, width, trainEnd, calibrationEnd);
        var test = Slice(features, converted, width, calibrationEnd, leads);
        var parameters = new TrainingParameters
        {
            Objective = "binary:logistic", NumRound = 400, MaxDepth = 4, Eta = 0.08, Subsample = 0.9, ColsampleByTree = 0.9,
            EarlyStoppingRounds = 30, EvalMetric = "logloss", Seed = (ulong)seed,
        };
        var trained = GradientBoostingTrainer.Train(train, parameters, calibration);
        output.WriteLine($"trained: {trained.Rounds.Count} rounds, best {trained.BestIteration + 1} (validation log loss {trained.BestScore:F4})");

        var scorer = trained.ToScoringModel().Predictor;
        var calibrationScores = Scores(scorer, calibration);
        var calibrator = CalibrationSelector.Choose(calibrationScores, Doubles(calibration.Labels));
        var raw = Scores(scorer, test);
        var calibrated = calibrator is null ? raw : raw.Select(calibrator.Apply).ToArray();
        string calibrationMethod = calibrator?.Method ?? "none";
        var labels = Doubles(test.Labels);
        var metrics = new Dictionary<string, double>
        {
            ["test_auc"] = Math.Round(ClassificationMetrics.RocAuc(calibrated, labels), 5),
            ["test_logloss"] = Math.Round(ClassificationMetrics.LogLoss(calibrated, labels), 5),
            ["test_brier"] = Math.Round(ClassificationMetrics.BrierScore(calibrated, labels), 5),
            ["test_ece"] = Math.Round(ClassificationMetrics.ExpectedCalibrationError(calibrated, labels), 5),
            ["test_ece_uncalibrated"] = Math.Round(ClassificationMetrics.ExpectedCalibrationError(raw, labels), 5),
        };
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"test ({test.RowCount:N0} leads): AUC {metrics["test_auc"]:F3}, log loss {metrics["test_logloss"]:F4}, Brier {metrics["test_brier"]:F4}, ECE {metrics["test_ece"]:F4}; calibration: {(calibrator is null ? "none (held-out log loss showed the model calibrated already)" : $"{calibrationMethod} (ECE {metrics["test_ece_uncalibrated"]:F4} before)")}"));

        using var store = await Commands.DataOptions.OpenStoreAsync(options);
        var modelBytes = trained.ToUbjson();
        var registry = new ModelRegistry(store, options.ModelStoreDirectory);
        var (version, added) = await PackageRegistration.RegisterOrReuseAsync(registry, ModelName, modelBytes, version => ModelPackage.Create(
            modelBytes,
            new ModelMetadata
            {
                Name = ModelName,
                Version = version,
                Created = DateTimeOffset.UtcNow,
                TrainingDataSha256 = Convert.ToHexStringLower(SHA256.HashData(MemoryMarshal.AsBytes(features.AsSpan(0, trainEnd * width)))),
                Metrics = metrics,
                Description = $"Probability that a CRM lead converts to a customer (synthetic demo data; calibration: {calibrationMethod})",
            },
            new FeatureSchema { Features = Schema, InvalidValues = InvalidValuePolicy.Missing, MinimumCoverage = 0.5 },
            calibration: calibrator));
        output.WriteLine(added ? $"registered {ModelName} {version}" : $"{ModelName} {version} holds this model already");
        await registry.PromoteAsync(ModelName, version, "demo");
        output.WriteLine($"{ModelName}:production → {version}");

        var entities = new List<EntityFeatures>(leads - calibrationEnd);
        for (int i = calibrationEnd; i < leads; i++)
        {
            var row = new JsonObject();
            for (int f = 0; f < width; f++)
            {
                float value = features[(i * width) + f];
                row[LeadGenerator.FeatureNames[f]] = float.IsNaN(value) ? null : value;
            }

            entities.Add(new EntityFeatures(ids[i], row.ToJsonString()));
        }

        foreach (var chunk in entities.Chunk(1000))
        {
            await store.UpsertFeaturesAsync(ModelName, chunk);
        }

        output.WriteLine($"feature store: {entities.Count:N0} test leads, {ids[calibrationEnd]} … {ids[^1]}");
        output.WriteLine("score them by id:");
        output.WriteLine("  ./skillscope keys create --role service --name crm     # prints the key last");
        output.WriteLine("  ./skillscope serve --urls http://127.0.0.1:8080");
        output.WriteLine($"  curl -s -H \"Authorization: Bearer $KEY\" -H 'Content-Type: application/json' \\");
        output.WriteLine($"       -d '[\"{ids[calibrationEnd]}\", \"{ids[calibrationEnd + 1]}\"]' http://127.0.0.1:8080/api/v1/models/{ModelName}/predict");
        return 0;
    }

    private static TrainingData Slice(float[] features, float[] labels, int width, int start, int end) =>
        new(features[(start * width)..(end * width)], labels[start..end], width, LeadGenerator.FeatureNames);

    private static double[] Scores(Skillscope.Trees.Prediction.TreePredictor predictor, TrainingData data)
    {
        var output = new float[data.RowCount];
        predictor.PredictBatch(data.Features, output);
        return Doubles(output);
    }

    private static double[] Doubles(IReadOnlyList<float> values) => values.Select(v => (double)v).ToArray();
}
