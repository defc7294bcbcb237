using Skillscope.Trees.Format;
using Skillscope.Trees.Model;
using Skillscope.Trees.Prediction;

namespace Skillscope.Trees;

/// <summary>
/// A model saved by XGBoost (<c>save_model</c> to JSON or UBJSON, versions 1.6 to 3.x), loaded, validated
/// and ready to predict exactly what XGBoost predicts. Immutable and safe to share between threads.
/// </summary>
public sealed partial class XgboostModel
{
    private TreePredictor? _defaultPredictor;

    internal XgboostModel(ModelParts parts)
    {
        Objective = parts.Objective;
        Booster = parts.Booster;
        FeatureCount = parts.FeatureCount;
        GroupCount = parts.GroupCount;
        FeatureNames = parts.FeatureNames;
        FeatureKinds = parts.FeatureKinds;
        BaseScores = parts.BaseScores;
        BaseMargins = parts.BaseScores.Select(parts.Objective.BaseScoreToMargin).ToArray();
        BestIteration = parts.BestIteration;
        WriterVersion = parts.WriterVersion;
        InvalidCategoryGoesDefault = WriterVersion is { Count: >= 2 } v && (v[0], v[1], v.Count > 2 ? v[2] : 0) is (1, 6, _) or (1, 7, < 3);
        Trees = parts.Trees;
        TreeGroups = parts.TreeGroups;
        TreeWeights = parts.TreeWeights;
        IterationStarts = parts.IterationStarts;
        Linear = parts.Linear;
        Attributes = parts.Attributes;
    }

    /// <summary>The objective, which decides the output transform.</summary>
    public ModelObjective Objective { get; }

    /// <summary>gbtree, dart or gblinear.</summary>
    public BoosterKind Booster { get; }

    /// <summary>How many input features a row has.</summary>
    public int FeatureCount { get; }

    /// <summary>Output groups: the number of classes for multi-class objectives, otherwise 1.</summary>
    public int GroupCount { get; }

    /// <summary>Feature names saved with the model, or null when it has none.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>Feature types saved with the model (all <see cref="FeatureKind.Numerical"/> when none were saved).</summary>
    public IReadOnlyList<FeatureKind> FeatureKinds { get; }

    /// <summary><c>base_score</c> per output group, in output space as XGBoost stores it.</summary>
    public IReadOnlyList<float> BaseScores { get; }

    /// <summary><c>base_score</c> per group converted to a margin, where tree sums start.</summary>
    public IReadOnlyList<float> BaseMargins { get; }

    /// <summary>The <c>best_iteration</c> attribute left by early stopping, or null.</summary>
    public int? BestIteration { get; }

    /// <summary>The XGBoost version that wrote the file, when recorded (major, minor, patch).</summary>
    public IReadOnlyList<int>? WriterVersion { get; }

    /// <summary>The learner attributes saved with the model (string → string).</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; }

    /// <summary>Number of trees (0 for gblinear).</summary>
    public int TreeCount => Trees.Length;

    /// <summary>Number of boosting rounds (iterations) in the model.</summary>
    public int IterationCount => Linear is not null ? 1 : IterationStarts.Length - 1;

    /// <summary>Values per row of <see cref="TreePredictor.Predict(ReadOnlySpan{float}, Span{float})"/>: 1 for <c>multi:softmax</c>, else <see cref="GroupCount"/>.</summary>
    public int OutputWidth => Objective.Transform == OutputTransform.ArgMax ? 1 : GroupCount;

    /// <summary>
    /// The predictor XGBoost's scikit-learn wrapper would use: all rounds, or the first
    /// <c>best_iteration + 1</c> rounds when the model was saved after early stopping.
    /// </summary>
    public TreePredictor Predictor => _defaultPredictor ??= CreatePredictor(BestIteration is int best ? best + 1 : null);

    internal RegressionTree[] Trees { get; }

    internal int[] TreeGroups { get; }

    /// <summary>Per-tree output scale: dart's <c>weight_drop</c>, otherwise all 1.</summary>
    internal float[] TreeWeights { get; }

    /// <summary>Index of each round's first tree, plus one past the end.</summary>
    internal int[] IterationStarts { get; }

    internal LinearWeights? Linear { get; }

    /// <summary>
    /// Where a category a split cannot hold (negative, too large for its bitset or for float32) goes: XGBoost 1.6.0
    /// to 1.7.2 sent it the default way, as a missing value; 1.7.3 and later send it left, as a valid category
    /// the split does not list (their predictors call the categorical decision without the default direction).
    /// Models that record no version are read as the newer rule. 1.5 cast the value to an integer with no check.
    /// </summary>
    /// <remarks>Read once per tree on the exact walk, so decided once, at load.</remarks>
    internal bool InvalidCategoryGoesDefault { get; }

    /// <summary>Creates a predictor over the first <paramref name="iterations"/> rounds (all when null).</summary>
    /// <exception cref="TreeModelException">The count is out of range.</exception>
    public TreePredictor CreatePredictor(int? iterations = null)
    {
        int rounds = iterations ?? IterationCount;
        if (iterations is not null && (rounds < 1 || rounds > IterationCount))
        {
            throw new TreeModelException($"iteration count {rounds} is outside 1..{IterationCount}");
        }

        return new TreePredictor(this, Linear is not null ? 0 : IterationStarts[rounds]);
    }

    /// <summary>Loads a model from a file, detecting JSON or UBJSON from its content.</summary>
    /// <exception cref="TreeModelException">The file cannot be read or is not a valid, supported model.</exception>
    public static XgboostModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new TreeModelException($"cannot read model file '{path}': {ex.Message}", innerException: ex);
        }

        return Load(bytes);
    }

    /// <summary>Loads a model from bytes, detecting JSON or UBJSON from their content.</summary>
    /// <exception cref="TreeModelException">The bytes are not a valid, supported model.</exception>
    public static XgboostModel Load(ReadOnlySpan<byte> bytes)
    {
        var document = LooksLikeTextJson(bytes) ? TextJsonReader.Parse(bytes) : UbjsonReader.Parse(bytes);
        return new XgboostModel(XgboostModelReader.Read(document));
    }

    /// <summary>
    /// Text JSON opens with '{' then whitespace or a quote; UBJSON's '{' is followed by a length marker.
    /// </summary>
    private static bool LooksLikeTextJson(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            i = 3;
        }

        while (i < bytes.Length && bytes[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        if (i >= bytes.Length)
        {
            throw new TreeModelException("the model file is empty");
        }

        if (bytes[i] != (byte)'{')
        {
            throw new TreeModelException("not an XGBoost model: a model document starts with '{'");
        }

        return i > 0 || i + 1 >= bytes.Length || bytes[i + 1] is (byte)'"' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'}';
    }
}
