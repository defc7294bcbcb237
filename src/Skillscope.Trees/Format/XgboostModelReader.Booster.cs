using Skillscope.Trees.Model;
using static Skillscope.Trees.Format.DocumentAccess;

namespace Skillscope.Trees.Format;

internal static partial class XgboostModelReader
{
    private sealed record BoostedParts(
        BoosterKind Kind,
        RegressionTree[] Trees,
        int[] TreeGroups,
        float[] TreeWeights,
        int[] IterationStarts,
        LinearWeights? Linear);

    private static BoostedParts ReadBooster(DocumentObject booster, string path, int featureCount, int groupCount)
    {
        string name = StringMember(booster, "name", path);
        switch (name)
        {
            case "gbtree":
            {
                var model = ObjectMember(booster, "model", path);
                // XGBoost 3.3 folded dart into gbtree: weight_drop then sits beside the trees.
                var weightDrop = OptionalMember(model, "weight_drop");
                return ReadTreeBooster(model, path + ".model", featureCount, groupCount, weightDrop, path + ".model.weight_drop");
            }

            case "dart":
            {
                var inner = ObjectMember(booster, "gbtree", path);
                var model = ObjectMember(inner, "model", path + ".gbtree");
                var weightDrop = Member(booster, "weight_drop", path);
                return ReadTreeBooster(model, path + ".gbtree.model", featureCount, groupCount, weightDrop, path + ".weight_drop");
            }

            case "gblinear":
                return ReadLinearBooster(ObjectMember(booster, "model", path), path + ".model", featureCount, groupCount);
            default:
                throw new TreeModelException($"unsupported booster \"{name}\"", path + ".name");
        }
    }

    private static BoostedParts ReadTreeBooster(
        DocumentObject model, string path, int featureCount, int groupCount, DocumentNode? weightDrop, string weightDropPath)
    {
        var param = ObjectMember(model, "gbtree_model_param", path);
        long treeCount = IntegerParameter(param, "num_trees", path + ".gbtree_model_param");
        long parallelTrees = IntegerParameter(param, "num_parallel_tree", path + ".gbtree_model_param", 1);
        if (treeCount < 0 || treeCount > 10_000_000)
        {
            throw new TreeModelException($"num_trees out of range: {treeCount}", path + ".gbtree_model_param.num_trees");
        }

        if (parallelTrees < 1 || parallelTrees > 100_000)
        {
            throw new TreeModelException($"num_parallel_tree out of range: {parallelTrees}", path + ".gbtree_model_param.num_parallel_tree");
        }

        var treeNodes = AsArrayItems(Member(model, "trees", path), path + ".trees");
        if (treeNodes.Length != treeCount)
        {
            throw new TreeModelException($"num_trees says {treeCount} but {treeNodes.Length} trees are stored", path + ".trees");
        }

        int[] treeGroups = IntArray(Member(model, "tree_info", path), path + ".tree_info", (int)treeCount, 0, groupCount - 1);
        int[] iterationStarts = OptionalMember(model, "iteration_indptr") is { } indptr
            ? ReadIterationPointer(indptr, path + ".iteration_indptr", (int)treeCount)
            : BuildIterationStarts((int)treeCount, (long)groupCount * parallelTrees, path);

        var trees = new RegressionTree[treeCount];
        for (int i = 0; i < trees.Length; i++)
        {
            trees[i] = ReadTree(treeNodes[i], $"{path}.trees[{i}]", i, featureCount);
        }

        float[] weights;
        var kind = BoosterKind.GbTree;
        if (weightDrop is not null)
        {
            kind = BoosterKind.Dart;
            weights = FloatArray(weightDrop, weightDropPath, (int)treeCount);
            for (int i = 0; i < weights.Length; i++)
            {
                if (!float.IsFinite(weights[i]))
                {
                    throw new TreeModelException("tree weight is not a finite number", $"{weightDropPath}[{i}]");
                }
            }
        }
        else
        {
            weights = new float[treeCount];
            Array.Fill(weights, 1.0f);
        }

        return new BoostedParts(kind, trees, treeGroups, weights, iterationStarts, null);
    }

    private static int[] ReadIterationPointer(DocumentNode node, string path, int treeCount)
    {
        int[] starts = IntArray(node, path, -1, 0, treeCount);
        if (starts.Length == 0 || starts[0] != 0 || starts[^1] != treeCount)
        {
            throw new TreeModelException($"iteration_indptr must run from 0 to {treeCount}", path);
        }

        for (int i = 1; i < starts.Length; i++)
        {
            if (starts[i] < starts[i - 1])
            {
                throw new TreeModelException("iteration_indptr must not decrease", $"{path}[{i}]");
            }
        }

        return starts;
    }

    private static int[] BuildIterationStarts(int treeCount, long treesPerRound, string path)
    {
        if (treeCount % treesPerRound != 0)
        {
            throw new TreeModelException($"{treeCount} trees do not divide into rounds of {treesPerRound}", path + ".trees");
        }

        var starts = new int[(treeCount / treesPerRound) + 1];
        for (int i = 0; i < starts.Length; i++)
        {
            starts[i] = (int)(i * treesPerRound);
        }

        return starts;
    }

    private static BoostedParts ReadLinearBooster(DocumentObject model, string path, int featureCount, int groupCount)
    {
        int expected = (featureCount + 1) * groupCount;
        float[] weights = FloatArray(Member(model, "weights", path), path + ".weights", expected);
        for (int i = 0; i < weights.Length; i++)
        {
            if (!float.IsFinite(weights[i]))
            {
                throw new TreeModelException("weight is not a finite number", $"{path}.weights[{i}]");
            }
        }

        return new BoostedParts(BoosterKind.GbLinear, [], [], [], [0, 0], new LinearWeights(weights, featureCount, groupCount));
    }
}
