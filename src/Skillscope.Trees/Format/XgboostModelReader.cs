using System.Globalization;
using Skillscope.Trees.Model;
using static Skillscope.Trees.Format.DocumentAccess;

namespace Skillscope.Trees.Format;

/// <summary>
/// Turns a parsed XGBoost model document (any writer from 1.6 to 3.x) into validated <see cref="ModelParts"/>.
/// Handles both dart layouts (the ≤3.2 <c>dart</c> wrapper and 3.3's <c>weight_drop</c> inside gbtree),
/// both <c>base_score</c> forms (<c>"5E-1"</c> and <c>"[5E-1]"</c>), and missing <c>iteration_indptr</c>.
/// </summary>
internal static partial class XgboostModelReader
{
    public static ModelParts Read(DocumentNode document)
    {
        var root = AsObject(document, "$");
        var version = ReadVersion(root);
        var learner = ObjectMember(root, "learner", "$");
        const string learnerPath = "$.learner";

        var attributes = ReadAttributes(learner, learnerPath);
        var modelParam = ObjectMember(learner, "learner_model_param", learnerPath);
        const string paramPath = learnerPath + ".learner_model_param";
        long featureCount = IntegerParameter(modelParam, "num_feature", paramPath);
        long classCount = IntegerParameter(modelParam, "num_class", paramPath, 0);
        long targetCount = IntegerParameter(modelParam, "num_target", paramPath, 1);
        if (featureCount < 1 || featureCount > 1_000_000)
        {
            throw new TreeModelException($"num_feature must be in 1..1000000, found {featureCount}", paramPath + ".num_feature");
        }

        if (classCount < 0 || classCount > 100_000 || targetCount < 1 || targetCount > 100_000)
        {
            throw new TreeModelException($"num_class {classCount} / num_target {targetCount} out of range", paramPath);
        }

        int groupCount = (int)Math.Max(classCount, targetCount);
        if (classCount > 0 && targetCount > 1)
        {
            throw new TreeModelException("models with both several classes and several targets are not supported", paramPath);
        }

        var objective = ReadObjective(learner, learnerPath);
        if (objective.Transform is OutputTransform.Softmax or OutputTransform.ArgMax && classCount < 1)
        {
            throw new TreeModelException($"objective {objective.Name} needs num_class ≥ 1", paramPath + ".num_class");
        }

        float[] baseScores = ReadBaseScore(modelParam, paramPath, groupCount);
        CheckBaseScoreDomain(objective, baseScores, paramPath + ".base_score");
        var (featureNames, featureKinds) = ReadFeatures(learner, learnerPath, (int)featureCount);

        var booster = ObjectMember(learner, "gradient_booster", learnerPath);
        var boosted = ReadBooster(booster, learnerPath + ".gradient_booster", (int)featureCount, groupCount);

        int? bestIteration = ReadBestIteration(attributes, boosted.IterationStarts.Length - 1, boosted.Linear is not null);
        return new ModelParts(
            objective,
            boosted.Kind,
            (int)featureCount,
            groupCount,
            featureNames,
            featureKinds,
            baseScores,
            bestIteration,
            version,
            boosted.Trees,
            boosted.TreeGroups,
            boosted.TreeWeights,
            boosted.IterationStarts,
            boosted.Linear,
            attributes);
    }

    private static int[]? ReadVersion(DocumentObject root)
    {
        var node = OptionalMember(root, "version");
        return node is null ? null : IntArray(node, "$.version", -1, 0, 1000);
    }

    private static Dictionary<string, string> ReadAttributes(DocumentObject learner, string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (OptionalMember(learner, "attributes") is not { } node)
        {
            return result;
        }

        foreach (var (key, value) in AsObject(node, path + ".attributes").Members)
        {
            result[key] = AsString(value, $"{path}.attributes.{key}");
        }

        return result;
    }

    private static ModelObjective ReadObjective(DocumentObject learner, string path)
    {
        var objective = ObjectMember(learner, "objective", path);
        string name = StringMember(objective, "name", path + ".objective");
        return ModelObjective.TryFromName(name)
            ?? throw new TreeModelException($"unsupported objective \"{name}\"", path + ".objective.name");
    }

    private static float[] ReadBaseScore(DocumentObject modelParam, string path, int groupCount)
    {
        string memberPath = path + ".base_score";
        var node = Member(modelParam, "base_score", path);
        float[] values;
        if (node is DocumentNumber number)
        {
            values = [number.Single];
        }
        else
        {
            string text = AsString(node, memberPath).Trim();
            values = text.StartsWith('[')
                ? ParseBaseScoreVector(text, memberPath)
                : [ParseSingle(text, memberPath)];
        }

        if (values.Length == 1 && groupCount > 1)
        {
            values = Enumerable.Repeat(values[0], groupCount).ToArray();
        }

        if (values.Length != groupCount)
        {
            throw new TreeModelException($"base_score has {values.Length} values for {groupCount} output groups", memberPath);
        }

        foreach (float v in values)
        {
            if (!float.IsFinite(v))
            {
                throw new TreeModelException("base_score must be a finite number", memberPath);
            }
        }

        return values;
    }

    /// <summary>base_score is in output space: a log link needs it positive, a logistic one in [0, 1] (clamped as XGBoost does).</summary>
    private static void CheckBaseScoreDomain(ModelObjective objective, float[] baseScores, string path)
    {
        foreach (float score in baseScores)
        {
            bool valid = objective.Transform switch
            {
                OutputTransform.Exponential => score > 0,
                OutputTransform.Sigmoid => score >= 0 && score <= 1,
                _ => true,
            };
            if (!valid)
            {
                throw new TreeModelException($"base_score {score} is outside the domain of {objective.Name}", path);
            }
        }
    }

    private static float[] ParseBaseScoreVector(string text, string path)
    {
        // The 3.1+ form is a JSON array inside the string: "[5E-1]" or "[1.2E-1,3.3E-1]".
        if (!text.EndsWith(']'))
        {
            throw new TreeModelException($"malformed base_score \"{text}\"", path);
        }

        string[] parts = text[1..^1].Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 0 || (parts.Length == 1 && parts[0].Length == 0))
        {
            throw new TreeModelException("base_score is an empty list", path);
        }

        return Array.ConvertAll(parts, p => ParseSingle(p, path));
    }

    private static float ParseSingle(string text, string path) =>
        float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value)
            ? value
            : throw new TreeModelException($"expected a number, found \"{text}\"", path);

    private static (string[]? Names, FeatureKind[] Kinds) ReadFeatures(DocumentObject learner, string path, int featureCount)
    {
        string[]? names = OptionalMember(learner, "feature_names") is { } n ? StringArray(n, path + ".feature_names") : null;
        if (names is { Length: 0 })
        {
            names = null;
        }

        if (names is not null && names.Length != featureCount)
        {
            throw new TreeModelException($"{names.Length} feature names for {featureCount} features", path + ".feature_names");
        }

        var kinds = new FeatureKind[featureCount];
        if (OptionalMember(learner, "feature_types") is { } t)
        {
            string[] types = StringArray(t, path + ".feature_types");
            if (types.Length != 0 && types.Length != featureCount)
            {
                throw new TreeModelException($"{types.Length} feature types for {featureCount} features", path + ".feature_types");
            }

            for (int i = 0; i < types.Length; i++)
            {
                kinds[i] = types[i] switch
                {
                    "float" => FeatureKind.Numerical,
                    "int" => FeatureKind.Integral,
                    "i" => FeatureKind.Indicator,
                    "q" => FeatureKind.Quantitative,
                    "c" => FeatureKind.Categorical,
                    _ => throw new TreeModelException($"unknown feature type \"{types[i]}\"", $"{path}.feature_types[{i}]"),
                };
            }
        }

        return (names, kinds);
    }

    private static int? ReadBestIteration(Dictionary<string, string> attributes, int iterationCount, bool isLinear)
    {
        if (isLinear || !attributes.TryGetValue("best_iteration", out string? text))
        {
            return null;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int best) || best < 0 || best >= iterationCount)
        {
            throw new TreeModelException($"best_iteration \"{text}\" is not a round of this {iterationCount}-round model", "$.learner.attributes.best_iteration");
        }

        return best;
    }
}
