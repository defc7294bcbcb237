using System.Globalization;

namespace Skillscope.Trees.Training;

/// <summary>
/// Hyper-parameters of the histogram trainer, named and defaulted as XGBoost names and defaults them
/// (<c>eta</c> 0.3, <c>max_depth</c> 6, <c>lambda</c> 1, <c>max_bin</c> 256, …).
/// </summary>
public sealed record TrainingParameters
{
    /// <summary><c>objective</c>: binary:logistic, reg:squarederror, reg:logistic, count:poisson, multi:softprob, multi:softmax.</summary>
    public string Objective { get; init; } = "reg:squarederror";

    /// <summary><c>num_class</c>: the number of classes for the multi-class objectives.</summary>
    public int NumClass { get; init; }

    /// <summary><c>num_round</c>: boosting rounds.</summary>
    public int NumRound { get; init; } = 10;

    /// <summary><c>eta</c> (<c>learning_rate</c>): shrinkage applied to every leaf.</summary>
    public double Eta { get; init; } = 0.3;

    /// <summary><c>max_depth</c>: deepest level a tree may grow to.</summary>
    public int MaxDepth { get; init; } = 6;

    /// <summary><c>min_child_weight</c>: least hessian sum a child may have.</summary>
    public double MinChildWeight { get; init; } = 1;

    /// <summary><c>lambda</c> (<c>reg_lambda</c>): L2 penalty on leaf weights.</summary>
    public double Lambda { get; init; } = 1;

    /// <summary><c>alpha</c> (<c>reg_alpha</c>): L1 penalty on leaf weights.</summary>
    public double Alpha { get; init; }

    /// <summary><c>gamma</c> (<c>min_split_loss</c>): least loss reduction a split must bring to be kept.</summary>
    public double Gamma { get; init; }

    /// <summary><c>subsample</c>: fraction of rows drawn (without replacement) for each tree.</summary>
    public double Subsample { get; init; } = 1;

    /// <summary><c>colsample_bytree</c>: fraction of features drawn for each tree.</summary>
    public double ColsampleByTree { get; init; } = 1;

    /// <summary><c>colsample_bylevel</c>: fraction of the tree's features drawn for each level.</summary>
    public double ColsampleByLevel { get; init; } = 1;

    /// <summary><c>colsample_bynode</c>: fraction of the level's features drawn for each node.</summary>
    public double ColsampleByNode { get; init; } = 1;

    /// <summary><c>scale_pos_weight</c>: weight multiplier of positive rows (binary:logistic).</summary>
    public double ScalePosWeight { get; init; } = 1;

    /// <summary><c>base_score</c> in output space; null estimates the loss-minimising constant from the labels.</summary>
    public double? BaseScore { get; init; }

    /// <summary><c>max_bin</c>: most histogram bins per feature.</summary>
    public int MaxBin { get; init; } = 256;

    /// <summary><c>max_leaves</c>: most leaves per tree; 0 for no limit.</summary>
    public int MaxLeaves { get; init; }

    /// <summary><c>seed</c>: fixes row and feature sampling.</summary>
    public ulong Seed { get; init; }

    /// <summary><c>early_stopping_rounds</c>: stop when the validation metric has not improved for this many rounds.</summary>
    public int? EarlyStoppingRounds { get; init; }

    /// <summary><c>eval_metric</c>: rmse, logloss, error, auc, mlogloss, merror, poisson-nloglik; null for the objective's default.</summary>
    public string? EvalMetric { get; init; }

    /// <summary><c>nthread</c>: threads to use; 0 for all cores. The model does not depend on it.</summary>
    public int Threads { get; init; }

    /// <summary>Number of margins per row: the class count for the multi-class objectives, otherwise 1.</summary>
    public int GroupCount => Objective.StartsWith("multi:", StringComparison.Ordinal) ? NumClass : 1;

    /// <summary>
    /// Applies parameters given by their XGBoost names (aliases included), as strings from a command line or a file.
    /// </summary>
    /// <exception cref="TrainingException">An unknown name or a value that does not parse.</exception>
    public TrainingParameters With(IEnumerable<KeyValuePair<string, string>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var result = this;
        foreach (var (rawName, value) in settings)
        {
            string name = rawName.Replace('-', '_');
            result = name switch
            {
                "objective" => result with { Objective = value },
                "num_class" => result with { NumClass = Integer(name, value) },
                "num_round" or "num_boost_round" or "n_estimators" => result with { NumRound = Integer(name, value) },
                "eta" or "learning_rate" => result with { Eta = Real(name, value) },
                "max_depth" => result with { MaxDepth = Integer(name, value) },
                "min_child_weight" => result with { MinChildWeight = Real(name, value) },
                "lambda" or "reg_lambda" => result with { Lambda = Real(name, value) },
                "alpha" or "reg_alpha" => result with { Alpha = Real(name, value) },
                "gamma" or "min_split_loss" => result with { Gamma = Real(name, value) },
                "subsample" => result with { Subsample = Real(name, value) },
                "colsample_bytree" => result with { ColsampleByTree = Real(name, value) },
                "colsample_bylevel" => result with { ColsampleByLevel = Real(name, value) },
                "colsample_bynode" => result with { ColsampleByNode = Real(name, value) },
                "scale_pos_weight" => result with { ScalePosWeight = Real(name, value) },
                "base_score" => result with { BaseScore = Real(name, value) },
                "max_bin" => result with { MaxBin = Integer(name, value) },
                "max_leaves" => result with { MaxLeaves = Integer(name, value) },
                "seed" or "random_state" => result with { Seed = (ulong)Integer(name, value) },
                "early_stopping_rounds" => result with { EarlyStoppingRounds = Integer(name, value) },
                "eval_metric" => result with { EvalMetric = value },
                "nthread" or "n_jobs" => result with { Threads = Integer(name, value) },
                "tree_method" when value is "hist" or "auto" or "approx" => result,
                "tree_method" => throw new TrainingException($"tree_method \"{value}\" is not available: the trainer builds histograms (hist)"),
                "grow_policy" when value == "depthwise" => result,
                "grow_policy" => throw new TrainingException($"grow_policy \"{value}\" is not available: trees grow depth-wise"),
                "booster" when value == "gbtree" => result,
                "booster" => throw new TrainingException($"booster \"{value}\" is not available: the trainer grows gbtree models"),
                _ => throw new TrainingException($"unknown parameter \"{rawName}\""),
            };
        }

        return result;
    }

    /// <summary>Checks every value against its valid range.</summary>
    /// <exception cref="TrainingException">The first parameter out of range, named.</exception>
    public void Validate()
    {
        if (!TrainingObjective.IsSupported(Objective))
        {
            throw new TrainingException($"objective \"{Objective}\" cannot be trained here; use one of {string.Join(", ", TrainingObjective.SupportedNames)}");
        }

        bool multi = Objective.StartsWith("multi:", StringComparison.Ordinal);
        Require(!multi || NumClass >= 2, "num_class", NumClass, "at least 2 for a multi-class objective");
        Require(multi || NumClass == 0, "num_class", NumClass, "only meaningful for multi:softprob and multi:softmax");
        Require(NumRound is >= 1 and <= 100_000, "num_round", NumRound, "between 1 and 100000");
        Require(Eta > 0 && Eta <= 1, "eta", Eta, "in (0, 1]");
        Require(MaxDepth is >= 1 and <= 16, "max_depth", MaxDepth, "between 1 and 16");
        Require(MinChildWeight >= 0 && double.IsFinite(MinChildWeight), "min_child_weight", MinChildWeight, "finite and ≥ 0");
        Require(Lambda >= 0 && double.IsFinite(Lambda), "lambda", Lambda, "finite and ≥ 0");
        Require(Alpha >= 0 && double.IsFinite(Alpha), "alpha", Alpha, "finite and ≥ 0");
        Require(Gamma >= 0 && double.IsFinite(Gamma), "gamma", Gamma, "finite and ≥ 0");
        Require(Subsample > 0 && Subsample <= 1, "subsample", Subsample, "in (0, 1]");
        Require(ColsampleByTree > 0 && ColsampleByTree <= 1, "colsample_bytree", ColsampleByTree, "in (0, 1]");
        Require(ColsampleByLevel > 0 && ColsampleByLevel <= 1, "colsample_bylevel", ColsampleByLevel, "in (0, 1]");
        Require(ColsampleByNode > 0 && ColsampleByNode <= 1, "colsample_bynode", ColsampleByNode, "in (0, 1]");
        Require(ScalePosWeight > 0 && double.IsFinite(ScalePosWeight), "scale_pos_weight", ScalePosWeight, "finite and > 0");
        Require(MaxBin is >= 2 and <= 1024, "max_bin", MaxBin, "between 2 and 1024");
        Require(MaxLeaves >= 0, "max_leaves", MaxLeaves, "≥ 0");
        Require(EarlyStoppingRounds is null or >= 1, "early_stopping_rounds", EarlyStoppingRounds ?? 0, "≥ 1");
        Require(Threads >= 0, "nthread", Threads, "≥ 0");
        if (BaseScore is double baseScore)
        {
            Require(double.IsFinite(baseScore), "base_score", baseScore, "finite");
            TrainingObjective.Create(this).CheckBaseScore(baseScore);
        }

        if (EvalMetric is not null)
        {
            _ = EvaluationMetric.Create(EvalMetric, this);
        }
    }

    private static void Require(bool valid, string name, double value, string rule)
    {
        if (!valid)
        {
            throw new TrainingException($"{name} = {value.ToString(CultureInfo.InvariantCulture)} is invalid: it must be {rule}");
        }
    }

    private static int Integer(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed)
            ? parsed
            : throw new TrainingException($"{name} = \"{value}\" is not an integer");

    private static double Real(string name, string value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && double.IsFinite(parsed)
            ? parsed
            : throw new TrainingException($"{name} = \"{value}\" is not a finite number");
}
