using System.Globalization;
using Skillscope.Trees.Training;

namespace Skillscope.Trees.Format;

/// <summary>
/// Writes a trained model in the document layout of XGBoost 1.7 (keys in the sorted order XGBoost emits
/// them), which XGBoost 1.6 through 3.x loads. Gains, covers and base weights are filled so that
/// importances and TreeSHAP computed from the file are right.
/// </summary>
internal static class XgboostModelWriter
{
    private static readonly int[] LayoutVersion = [1, 7, 4];

    public static void Write(TrainedModel model, IDocumentEmitter emitter)
    {
        var invariant = CultureInfo.InvariantCulture;
        emitter.StartObject();
        emitter.Key("learner");
        emitter.StartObject();

        emitter.Key("attributes");
        emitter.StartObject();
        foreach (var (name, value) in model.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            emitter.Key(name);
            emitter.String(value);
        }

        emitter.EndObject();

        var names = model.FeatureNames ?? [];
        emitter.Key("feature_names");
        emitter.StartArray(names.Count);
        foreach (var name in names)
        {
            emitter.String(name);
        }

        emitter.EndArray();
        emitter.Key("feature_types");
        emitter.StartArray(0);
        emitter.EndArray();

        emitter.Key("gradient_booster");
        emitter.StartObject();
        emitter.Key("model");
        emitter.StartObject();
        emitter.Key("gbtree_model_param");
        emitter.StartObject();
        Parameter(emitter, "num_parallel_tree", "1");
        Parameter(emitter, "num_trees", model.Trees.Count.ToString(invariant));
        Parameter(emitter, "size_leaf_vector", "0");
        emitter.EndObject();
        emitter.Key("tree_info");
        emitter.StartArray(model.TreeGroups.Count);
        foreach (int group in model.TreeGroups)
        {
            emitter.Integer(group);
        }

        emitter.EndArray();
        emitter.Key("trees");
        emitter.StartArray(model.Trees.Count);
        for (int i = 0; i < model.Trees.Count; i++)
        {
            WriteTree(emitter, model.Trees[i], i, model.FeatureCount);
        }

        emitter.EndArray();
        emitter.EndObject();
        emitter.Key("name");
        emitter.String("gbtree");
        emitter.EndObject();

        emitter.Key("learner_model_param");
        emitter.StartObject();
        Parameter(emitter, "base_score", model.BaseScore.ToString("R", invariant));
        Parameter(emitter, "boost_from_average", "1");
        Parameter(emitter, "num_class", (model.GroupCount > 1 ? model.GroupCount : 0).ToString(invariant));
        Parameter(emitter, "num_feature", model.FeatureCount.ToString(invariant));
        Parameter(emitter, "num_target", "1");
        emitter.EndObject();

        emitter.Key("objective");
        emitter.StartObject();
        emitter.Key("name");
        emitter.String(model.Objective.Name);
        model.Objective.WriteParameters(emitter);
        emitter.EndObject();

        emitter.EndObject();
        emitter.Key("version");
        emitter.StartArray(LayoutVersion.Length);
        foreach (int part in LayoutVersion)
        {
            emitter.Integer(part);
        }

        emitter.EndArray();
        emitter.EndObject();
    }

    private static void WriteTree(IDocumentEmitter emitter, GrownTree tree, int id, int featureCount)
    {
        var invariant = CultureInfo.InvariantCulture;
        int count = tree.NodeCount;
        var defaultLeft = new byte[count];
        for (int i = 0; i < count; i++)
        {
            defaultLeft[i] = tree.DefaultLeft[i] ? (byte)1 : (byte)0;
        }

        emitter.StartObject();
        emitter.Key("base_weights");
        emitter.FloatArray(tree.BaseWeights);
        emitter.Key("categories");
        emitter.Int32Array([]);
        emitter.Key("categories_nodes");
        emitter.Int32Array([]);
        emitter.Key("categories_segments");
        emitter.Int64Array([]);
        emitter.Key("categories_sizes");
        emitter.Int64Array([]);
        emitter.Key("default_left");
        emitter.ByteArray(defaultLeft);
        emitter.Key("id");
        emitter.Integer(id);
        emitter.Key("left_children");
        emitter.Int32Array(tree.LeftChildren);
        emitter.Key("loss_changes");
        emitter.FloatArray(tree.LossChanges);
        emitter.Key("parents");
        emitter.Int32Array(tree.Parents);
        emitter.Key("right_children");
        emitter.Int32Array(tree.RightChildren);
        emitter.Key("split_conditions");
        emitter.FloatArray(tree.SplitConditions);
        emitter.Key("split_indices");
        emitter.Int32Array(tree.SplitIndices);
        emitter.Key("split_type");
        emitter.ByteArray(new byte[count]);
        emitter.Key("sum_hessian");
        emitter.FloatArray(tree.SumHessians);
        emitter.Key("tree_param");
        emitter.StartObject();
        Parameter(emitter, "num_deleted", "0");
        Parameter(emitter, "num_feature", featureCount.ToString(invariant));
        Parameter(emitter, "num_nodes", count.ToString(invariant));
        Parameter(emitter, "size_leaf_vector", "0");
        emitter.EndObject();
        emitter.EndObject();
    }

    private static void Parameter(IDocumentEmitter emitter, string name, string value)
    {
        emitter.Key(name);
        emitter.String(value);
    }
}
