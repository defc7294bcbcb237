using Skillscope.Trees.Training;
using Xunit;

namespace Skillscope.Trees.Tests;

/// <summary>The histogram trainer: it learns, it is reproducible, it writes what it scores, and it refuses bad input by name.</summary>
public sealed class TrainingTests
{
    private static readonly TrainingParameters Quick = new() { NumRound = 20, MaxDepth = 4, Eta = 0.3 };

    [Theory]
    [InlineData("binary:logistic")]
    [InlineData("reg:logistic")]
    [InlineData("reg:squarederror")]
    [InlineData("count:poisson")]
    [InlineData("multi:softprob")]
    [InlineData("multi:softmax")]
    public void Every_objective_learns_and_the_saved_model_scores_what_training_saw(string objective)
    {
        var data = SyntheticTable.Create(3000, objective);
        var parameters = Quick with { Objective = objective, NumClass = objective.StartsWith("multi:", StringComparison.Ordinal) ? 3 : 0 };
        var reported = new List<TrainingRound>();
        var model = GradientBoostingTrainer.Train(data, parameters, progress: reported.Add);

        Assert.Equal(20, model.Rounds.Count);
        Assert.Equal(model.Rounds, reported);
        Assert.True(model.Rounds[^1].Train < model.Rounds[0].Train, $"{objective}: the training metric did not improve");

        // The file's predictions equal the margins training accumulated, through both formats.
        foreach (var bytes in new[] { model.ToJson(), model.ToUbjson() })
        {
            var loaded = XgboostModel.Load(bytes);
            Assert.Equal(objective, loaded.Objective.Name);
            Assert.Equal(20 * parameters.GroupCount, loaded.TreeCount);
            var margins = new float[data.RowCount * loaded.GroupCount];
            loaded.CreatePredictor().PredictMarginBatch(data.Features, margins);
            var metric = TrainingMetricFromMargins(model, margins, data);
            Assert.Equal(model.Rounds[^1].Train!.Value, metric, 1e-6);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_file_byte_for_byte_whatever_the_thread_count()
    {
        var data = SyntheticTable.Create(40_000, "binary:logistic", features: 10);
        var parameters = new TrainingParameters
        {
            Objective = "binary:logistic", NumRound = 8, Subsample = 0.8, ColsampleByTree = 0.8, ColsampleByNode = 0.7, Seed = 42,
        };
        var one = GradientBoostingTrainer.Train(data, parameters with { Threads = 1 }).ToUbjson();
        var two = GradientBoostingTrainer.Train(data, parameters with { Threads = 2 }).ToUbjson();
        var again = GradientBoostingTrainer.Train(data, parameters with { Threads = 2 }).ToJson();
        var otherSeed = GradientBoostingTrainer.Train(data, parameters with { Seed = 43 }).ToUbjson();

        Assert.Equal(one, two);
        Assert.Equal(GradientBoostingTrainer.Train(data, parameters with { Threads = 1 }).ToJson(), again);
        Assert.NotEqual(one, otherSeed);
    }

    [Fact]
    public void Many_features_with_many_bins_use_wide_histogram_slots_and_still_score_what_training_saw()
    {
        // 300 features × 256 bins needs more than 65,536 histogram slots: the 32-bit slot path.
        var data = SyntheticTable.Create(2000, "binary:logistic", features: 300);
        var parameters = Quick with { Objective = "binary:logistic", NumRound = 5, Threads = 2 };
        var model = GradientBoostingTrainer.Train(data, parameters);
        var loaded = XgboostModel.Load(model.ToUbjson());
        var margins = new float[data.RowCount];
        loaded.CreatePredictor().PredictMarginBatch(data.Features, margins);

        Assert.Equal(model.Rounds[^1].Train!.Value, TrainingMetricFromMargins(model, margins, data), 1e-6);
        Assert.Equal(model.ToUbjson(), GradientBoostingTrainer.Train(data, parameters with { Threads = 1 }).ToUbjson());
    }

    [Fact]
    public void Without_a_progress_listener_only_the_last_round_carries_the_training_metric()
    {
        var data = SyntheticTable.Create(1000, "binary:logistic");
        var model = GradientBoostingTrainer.Train(data, Quick with { Objective = "binary:logistic" });

        Assert.All(model.Rounds.Take(model.Rounds.Count - 1), round => Assert.Null(round.Train));
        Assert.NotNull(model.Rounds[^1].Train);
    }

    [Fact]
    public void Early_stopping_records_the_best_round_and_scoring_uses_it()
    {
        var train = SyntheticTable.Create(2000, "binary:logistic", seed: 1);
        var valid = SyntheticTable.Create(1000, "binary:logistic", seed: 2);
        var parameters = new TrainingParameters { Objective = "binary:logistic", NumRound = 500, Eta = 0.5, MaxDepth = 6, EarlyStoppingRounds = 10 };
        var model = GradientBoostingTrainer.Train(train, parameters, valid);

        Assert.NotNull(model.BestIteration);
        int best = model.BestIteration!.Value;
        Assert.Equal(best + 11, model.Rounds.Count);
        Assert.Equal(model.Rounds.Min(r => r.Validation!.Value), model.BestScore!.Value);
        Assert.Equal(model.Rounds[best].Validation, model.BestScore);

        var loaded = XgboostModel.Load(model.ToJson());
        Assert.Equal(best, loaded.BestIteration);
        Assert.Equal(best + 1, loaded.Predictor.TreeCount);
    }

    [Fact]
    public void Missing_values_learn_a_default_direction()
    {
        // The label is decided by whether f0 is missing; only the default direction can capture it.
        int rows = 2000;
        var x = new float[rows * 2];
        var y = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            bool missing = r % 3 == 0;
            x[r * 2] = missing ? float.NaN : r % 7;
            x[(r * 2) + 1] = r % 5;
            y[r] = missing ? 10 : 0;
        }

        var model = GradientBoostingTrainer.Train(new TrainingData(x, y, 2), new TrainingParameters { NumRound = 30, MaxDepth = 2 });
        var predictor = model.ToScoringModel().CreatePredictor();
        var output = new float[1];
        predictor.Predict([float.NaN, 1], output);
        Assert.InRange(output[0], 9.9f, 10.1f);
        predictor.Predict([3, 1], output);
        Assert.InRange(output[0], -0.1f, 0.1f);
    }

    [Fact]
    public void Sample_weights_change_the_model()
    {
        var plain = SyntheticTable.Create(2000, "reg:squarederror");
        var weighted = SyntheticTable.Create(2000, "reg:squarederror", weighted: true);
        Assert.Equal(plain.Labels, weighted.Labels);
        Assert.NotEqual(
            GradientBoostingTrainer.Train(plain, Quick).ToJson(),
            GradientBoostingTrainer.Train(weighted, Quick).ToJson());
    }

    [Fact]
    public void Gamma_and_min_child_weight_make_smaller_trees()
    {
        var data = SyntheticTable.Create(3000, "reg:squarederror");
        int Nodes(TrainingParameters p) => GradientBoostingTrainer.Train(data, p).ToScoringModel().Trees.Sum(t => t.NodeCount);
        int baseline = Nodes(Quick);
        Assert.True(Nodes(Quick with { Gamma = 5 }) < baseline);
        Assert.True(Nodes(Quick with { MinChildWeight = 200 }) < baseline);
        Assert.True(Nodes(Quick with { MaxLeaves = 4 }) <= 20 * 7);
    }

    [Fact]
    public void Given_base_score_is_saved_and_an_estimated_one_is_the_label_mean()
    {
        var data = SyntheticTable.Create(1000, "binary:logistic");
        var given = GradientBoostingTrainer.Train(data, Quick with { Objective = "binary:logistic", BaseScore = 0.3 });
        Assert.Equal(0.3f, XgboostModel.Load(given.ToJson()).BaseScores[0]);
        var estimated = GradientBoostingTrainer.Train(data, Quick with { Objective = "binary:logistic" });
        Assert.Equal(data.Labels.Average(l => (double)l), estimated.BaseScore, 5);
    }

    [Theory]
    [InlineData("num_round", "0", "num_round")]
    [InlineData("eta", "0", "eta")]
    [InlineData("eta", "abc", "eta")]
    [InlineData("max_depth", "-1", "max_depth")]
    [InlineData("subsample", "1.5", "subsample")]
    [InlineData("lambda", "-1", "lambda")]
    [InlineData("colsample_bytree", "0", "colsample_bytree")]
    [InlineData("max_bin", "1", "max_bin")]
    [InlineData("objective", "reg:gamma", "reg:gamma")]
    [InlineData("no_such_parameter", "1", "no_such_parameter")]
    [InlineData("grow_policy", "lossguide", "grow_policy")]
    [InlineData("eval_metric", "mlogloss", "mlogloss")]
    [InlineData("base_score", "1.5", "base_score")]
    public void Invalid_parameters_are_refused_by_name(string name, string value, string named)
    {
        var data = SyntheticTable.Create(100, "binary:logistic");
        var error = Assert.Throws<TrainingException>(() =>
            GradientBoostingTrainer.Train(data, new TrainingParameters { Objective = "binary:logistic" }.With([new(name, value)])));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_data_is_refused_with_the_problem_named()
    {
        var binary = new TrainingParameters { Objective = "binary:logistic" };
        Assert.Contains("no rows", Refused(() => _ = new TrainingData([], [], 3)));
        Assert.Contains("mismatched lengths", Refused(() => _ = new TrainingData(new float[10], new float[3], 3)));
        Assert.Contains("row 2", Refused(() => _ = new TrainingData(new float[3], [0, float.NaN, 1], 1)));
        Assert.Contains("row 3", Refused(() => _ = new TrainingData(new float[3], [0, 1, float.PositiveInfinity], 1)));
        Assert.Contains("constant", Refused(() => GradientBoostingTrainer.Train(new TrainingData(new float[3], [1, 1, 1], 1), binary)));
        Assert.Contains("outside what binary:logistic accepts", Refused(() => GradientBoostingTrainer.Train(new TrainingData(new float[3], [0, 2, 1], 1), binary)));
        Assert.Contains("count ≥ 0", Refused(() => GradientBoostingTrainer.Train(new TrainingData(new float[3], [0, -2, 1], 1), new TrainingParameters { Objective = "count:poisson" })));
        Assert.Contains("class index", Refused(() => GradientBoostingTrainer.Train(new TrainingData(new float[3], [0, 3, 1], 1), new TrainingParameters { Objective = "multi:softprob", NumClass = 3 })));
        Assert.Contains("validation data", Refused(() => GradientBoostingTrainer.Train(new TrainingData(new float[3], [0, 1, 1], 1), binary with { EarlyStoppingRounds = 3 })));
        Assert.Contains("weight", Refused(() => _ = new TrainingData(new float[2], [0, 1], 1, weights: [1, -1])));
    }

    private static string Refused(Action action) => Assert.Throws<TrainingException>(action).Message;

    private static double TrainingMetricFromMargins(TrainedModel model, float[] margins, TrainingData data)
    {
        var metric = EvaluationMetric.Create(model.Rounds[^1].Metric, model.Parameters);
        return metric.Compute(margins, data, model.Parameters.GroupCount);
    }
}
