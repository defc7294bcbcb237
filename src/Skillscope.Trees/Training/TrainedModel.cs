using Skillscope.Trees.Format;

namespace Skillscope.Trees.Training;

/// <summary>
/// A model produced by <see cref="GradientBoostingTrainer"/>: save it in XGBoost's JSON or UBJSON format,
/// or load it for scoring.
/// </summary>
public sealed class TrainedModel
{
    internal TrainedModel(
        TrainingObjective objective,
        TrainingParameters parameters,
        int featureCount,
        IReadOnlyList<string>? featureNames,
        float baseScore,
        IReadOnlyList<GrownTree> trees,
        IReadOnlyList<int> treeGroups,
        IReadOnlyList<TrainingRound> rounds,
        int? bestIteration,
        double? bestScore)
    {
        Objective = objective;
        Parameters = parameters;
        FeatureCount = featureCount;
        FeatureNames = featureNames;
        BaseScore = baseScore;
        Trees = trees;
        TreeGroups = treeGroups;
        Rounds = rounds;
        BestIteration = bestIteration;
        BestScore = bestScore;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (bestIteration is int best)
        {
            attributes["best_iteration"] = best.ToString(System.Globalization.CultureInfo.InvariantCulture);
            attributes["best_ntree_limit"] = (best + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            attributes["best_score"] = bestScore!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        }

        Attributes = attributes;
    }

    /// <summary>The hyper-parameters the model was trained with.</summary>
    public TrainingParameters Parameters { get; }

    /// <summary>Number of features a row must have.</summary>
    public int FeatureCount { get; }

    /// <summary>Feature names, if the training data had them.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary><c>base_score</c> in output space, as saved.</summary>
    public float BaseScore { get; }

    /// <summary>Per-round metrics, one entry per round trained.</summary>
    public IReadOnlyList<TrainingRound> Rounds { get; }

    /// <summary>The round with the best validation metric when early stopping was on.</summary>
    public int? BestIteration { get; }

    /// <summary>The validation metric at <see cref="BestIteration"/>.</summary>
    public double? BestScore { get; }

    /// <summary>Number of trees (rounds × classes).</summary>
    public int TreeCount => Trees.Count;

    internal TrainingObjective Objective { get; }

    internal int GroupCount => Objective.GroupCount;

    internal IReadOnlyList<GrownTree> Trees { get; }

    internal IReadOnlyList<int> TreeGroups { get; }

    internal IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>The model as XGBoost JSON.</summary>
    public byte[] ToJson()
    {
        using var stream = new MemoryStream();
        using (var emitter = new JsonDocumentEmitter(stream))
        {
            XgboostModelWriter.Write(this, emitter);
        }

        return stream.ToArray();
    }

    /// <summary>The model as XGBoost UBJSON.</summary>
    public byte[] ToUbjson()
    {
        using var stream = new MemoryStream();
        XgboostModelWriter.Write(this, new UbjsonDocumentEmitter(stream));
        return stream.ToArray();
    }

    /// <summary>Saves to <paramref name="path"/>: UBJSON when it ends in <c>.ubj</c>, JSON otherwise. Written whole or not at all.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var bytes = path.EndsWith(".ubj", StringComparison.OrdinalIgnoreCase) ? ToUbjson() : ToJson();
        string full = Path.GetFullPath(path);
        string temporary = full + ".tmp-" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        File.WriteAllBytes(temporary, bytes);
        File.Move(temporary, full, overwrite: true);
    }

    /// <summary>The model ready for scoring (through the same loader any XGBoost file goes through).</summary>
    public XgboostModel ToScoringModel() => XgboostModel.Load(ToUbjson());
}
