using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Skillscope.Trees.Explanation;
using Skillscope.Trees.Training;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>
/// Models trained here are loaded by the real XGBoost 1.7.4 from both file formats; its predictions,
/// contributions and importances must equal Skillscope's within 1e-6.
/// </summary>
public sealed class TrainedModelXgboostRoundTripTests
{
    private static readonly (string Name, string Objective, TrainingParameters Parameters, bool Weighted)[] Cases =
    [
        ("binary", "binary:logistic", new() { Objective = "binary:logistic", NumRound = 30, MaxDepth = 5, Eta = 0.2, Subsample = 0.8, ColsampleByNode = 0.8, Seed = 3 }, false),
        ("binary_early_stop", "binary:logistic", new() { Objective = "binary:logistic", NumRound = 300, Eta = 0.5, EarlyStoppingRounds = 5 }, true),
        ("regression", "reg:squarederror", new() { Objective = "reg:squarederror", NumRound = 25, Alpha = 0.5, Gamma = 0.2, Lambda = 2 }, true),
        ("reg_logistic", "reg:logistic", new() { Objective = "reg:logistic", NumRound = 20 }, false),
        ("poisson", "count:poisson", new() { Objective = "count:poisson", NumRound = 20, MaxDepth = 3 }, false),
        ("softprob", "multi:softprob", new() { Objective = "multi:softprob", NumClass = 3, NumRound = 15, MaxDepth = 4 }, false),
        ("softmax", "multi:softmax", new() { Objective = "multi:softmax", NumClass = 3, NumRound = 10, MaxBin = 16 }, false),
    ];

    [RequiresXgboostFact]
    public void Xgboost_loads_trained_models_and_predicts_what_skillscope_predicts()
    {
        string folder = Directory.CreateTempSubdirectory("skillscope-roundtrip-").FullName;
        try
        {
            var models = new Dictionary<string, (XgboostModel Model, float[] Rows, int RowCount)>();
            foreach (var (name, objective, parameters, weighted) in Cases)
            {
                var train = SyntheticTable.Create(2500, objective, seed: 11, weighted: weighted);
                var valid = SyntheticTable.Create(800, objective, seed: 12);
                var probe = SyntheticTable.Create(300, objective, seed: 13, missing: 0.15);
                var trained = GradientBoostingTrainer.Train(train, parameters, parameters.EarlyStoppingRounds is null ? null : valid);
                string caseFolder = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
                trained.Save(Path.Combine(caseFolder, "model.json"));
                trained.Save(Path.Combine(caseFolder, "model.ubj"));
                WriteRows(Path.Combine(caseFolder, "rows.csv"), probe);
                models[name] = (trained.ToScoringModel(), probe.Features, probe.RowCount);
            }

            RunScorer(folder);

            foreach (var (name, (model, rows, rowCount)) in models)
            {
                using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, name, "xgboost.json")));
                foreach (string format in new[] { "json", "ubj" })
                {
                    var expected = document.RootElement.GetProperty(format);
                    // Booster.predict uses every round; so does CreatePredictor(null).
                    var predictor = model.CreatePredictor();
                    var margins = new float[rowCount * model.GroupCount];
                    predictor.PredictMarginBatch(rows, margins);
                    AssertClose(expected.GetProperty("margin"), margins, $"{name}/{format} margin");
                    var predictions = new float[rowCount * model.OutputWidth];
                    predictor.PredictBatch(rows, predictions);
                    AssertClose(expected.GetProperty("prediction"), predictions, $"{name}/{format} prediction");
                    var contributions = new float[rowCount * predictor.ContributionWidth];
                    predictor.PredictContributions(rows, contributions);
                    AssertClose(expected.GetProperty("contribs"), contributions, $"{name}/{format} contribs");
                    AssertImportance(expected.GetProperty("gain"), model.GetImportance(ImportanceType.TotalGain), $"{name}/{format} gain");
                    AssertImportance(expected.GetProperty("cover"), model.GetImportance(ImportanceType.TotalCover), $"{name}/{format} cover");
                    AssertImportance(expected.GetProperty("weight"), model.GetImportance(ImportanceType.Weight), $"{name}/{format} weight");
                    string? best = expected.GetProperty("best_iteration").GetString();
                    Assert.Equal(model.BestIteration?.ToString(CultureInfo.InvariantCulture), best);
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static void RunScorer(string folder)
    {
        string script = Path.Combine(AppContext.BaseDirectory, "fixtures", "xgboost_score.py");
        var start = new ProcessStartInfo(RequiresXgboostFactAttribute.Python, [script, folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(300_000), "xgboost_score.py did not finish in 5 minutes");
        Assert.True(process.ExitCode == 0, $"XGBoost could not score the trained models:\n{stderr}\n{stdout.Result}");
    }

    private static void WriteRows(string path, TrainingData data)
    {
        var text = new StringBuilder();
        text.AppendLine(string.Join(',', data.FeatureNames!));
        for (int r = 0; r < data.RowCount; r++)
        {
            for (int f = 0; f < data.FeatureCount; f++)
            {
                float value = data.Features[(r * data.FeatureCount) + f];
                text.Append(f > 0 ? "," : "").Append(float.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture));
            }

            text.AppendLine();
        }

        File.WriteAllText(path, text.ToString());
    }

    private static void AssertClose(JsonElement expected, float[] actual, string what)
    {
        var values = expected.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.Parse(e.GetString()!, CultureInfo.InvariantCulture)).ToArray();
        Assert.True(values.Length == actual.Length, $"{what}: XGBoost returned {values.Length} values, Skillscope {actual.Length}");
        for (int i = 0; i < values.Length; i++)
        {
            double tolerance = 1e-6 * Math.Max(1, Math.Abs(values[i]));
            Assert.True(Math.Abs(values[i] - actual[i]) <= tolerance, $"{what}[{i}]: XGBoost {values[i]:R}, Skillscope {actual[i]:R}");
        }
    }

    private static void AssertImportance(JsonElement expected, IReadOnlyList<FeatureImportance> actual, string what)
    {
        var ours = actual.ToDictionary(i => i.Name, i => i.Values[0]);
        foreach (var property in expected.EnumerateObject())
        {
            Assert.True(ours.TryGetValue(property.Name, out float value), $"{what}: {property.Name} missing");
            double reference = property.Value.GetDouble();
            Assert.True(Math.Abs(reference - value) <= 1e-5 * Math.Max(1, Math.Abs(reference)), $"{what} {property.Name}: XGBoost {reference:R}, Skillscope {value:R}");
        }
    }
}
